import { describe, expect, it } from "vitest";
import { defaultClusterSettings } from "@/lib/arc/settings";
import { settingsFieldChanges } from "./settings-diff";

describe("settingsFieldChanges", () => {
  it("names only the fields that differ, nested ones by their dotted path", () => {
    const after = {
      ...defaultClusterSettings,
      defaultRunnerImage: "ghcr.io/rocm/runner:6.4",
      controllerServiceAccount: { name: "arc-gha-rs-controller", namespace: "arc-systems" },
    };
    expect(settingsFieldChanges(defaultClusterSettings, after)).toEqual([
      { path: "controllerServiceAccount.namespace", before: "arc", after: "arc-systems" },
      { path: "defaultRunnerImage", before: "ghcr.io/actions/actions-runner:latest", after: "ghcr.io/rocm/runner:6.4" },
    ]);
  });

  it("compares the node selector and tolerations whole, as compact JSON", () => {
    const after = {
      ...defaultClusterSettings,
      gpuPlacement: {
        nodeSelector: { "kubernetes.azure.com/agentpool": "mi300" },
        tolerations: [{ key: "amd.com/gpu", operator: "Exists" as const, effect: "NoSchedule" as const }],
      },
    };
    expect(settingsFieldChanges(defaultClusterSettings, after)).toEqual([
      { path: "gpuPlacement.nodeSelector", before: "{}", after: '{"kubernetes.azure.com/agentpool":"mi300"}' },
      { path: "gpuPlacement.tolerations", before: "[]", after: '[{"key":"amd.com/gpu","operator":"Exists","effect":"NoSchedule"}]' },
    ]);
  });

  it("lists every field for the first save, and nothing when nothing changed", () => {
    const first = settingsFieldChanges(null, defaultClusterSettings);
    expect(first.map((c) => c.path)).toContain("allowCreateNamespace");
    expect(first.every((c) => c.before === null)).toBe(true);
    expect(first.find((c) => c.path === "maxRunnersCeiling")?.after).toBe("20");
    expect(settingsFieldChanges(defaultClusterSettings, structuredClone(defaultClusterSettings))).toEqual([]);
  });
});
