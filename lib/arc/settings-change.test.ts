import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { arcReferenceDir } from "@/test/harness/kube";
import { goldenRequest } from "./__golden__/load";
import { importValuesFile } from "./import-values";
import { settingsChangeFor } from "./settings-change";
import { defaultClusterSettings, type ClusterSettings } from "./settings";

const dind = goldenRequest("dind");

describe("a settings change, per scale set", () => {
  it("is empty when nothing that shapes the scale set changes", () => {
    const after: ClusterSettings = { ...defaultClusterSettings, maxRunnersCeiling: 50 };
    expect(settingsChangeFor(dind, null, defaultClusterSettings, after)).toEqual([]);
  });

  it("names each changed field of each object", () => {
    const after: ClusterSettings = {
      ...defaultClusterSettings,
      dindImage: "docker:27-dind",
      chartVersion: "0.14.3",
      gpuClasses: [{ name: "default", nodeSelector: { santaclara: "yes" }, tolerations: [] }],
    };
    const changes = settingsChangeFor(dind, null, defaultClusterSettings, after);
    expect(changes.map((c) => c.object)).toEqual([
      "ServiceAccount linux-mi300-gpu-1-gha-rs-no-permission",
      "Role linux-mi300-gpu-1-gha-rs-manager",
      "RoleBinding linux-mi300-gpu-1-gha-rs-manager",
      "AutoscalingRunnerSet linux-mi300-gpu-1",
    ]);
    const ars = changes.at(-1)!.changes;
    expect(ars).toEqual(
      expect.arrayContaining([
        { path: "metadata.labels.app.kubernetes.io/version", what: '"0.14.3" instead of "0.14.2"' },
        { path: "spec.template.spec.initContainers[dind].image", what: '"docker:27-dind" instead of "docker:dind"' },
        { path: "spec.template.spec.nodeSelector", what: 'added a node selector: {"santaclara":"yes"}' },
      ]),
    );
  });

  it("shows a new secret naming rule as a renamed Secret", () => {
    const after = { ...defaultClusterSettings, secretNameTemplate: "gh-{label}" };
    const changes = settingsChangeFor(dind, null, defaultClusterSettings, after);
    expect(changes.find((c) => c.object.startsWith("Secret"))?.changes[0]?.what).toBe(
      '"gh-linux-mi300-gpu-1" instead of "linux-mi300-gpu-1-gha-rs-github-secret"',
    );
  });

  it("leaves what an imported scale set's overlay pins: its pre-defined Secret and its dind image", () => {
    const file = readFileSync(path.resolve(arcReferenceDir(), "../aks-githubarc-setup/linux-mi300-1gpu-ossci-rocm.yaml"), "utf8");
    const imported = importValuesFile(file, defaultClusterSettings, { team: "ROCm", contact: "@lead" });
    const after = { ...defaultClusterSettings, secretNameTemplate: "gh-{label}", dindImage: "docker:27-dind" };
    expect(settingsChangeFor(imported.spec!, imported.advanced, defaultClusterSettings, after)).toEqual([]);
  });
});
