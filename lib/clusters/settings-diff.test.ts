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

  it("compares each GPU class whole, by name, as compact JSON; added and removed classes are rows of their own", () => {
    const mi300 = {
      name: "mi300",
      description: "MI300X nodes",
      nodeSelector: { "kubernetes.azure.com/agentpool": "mi300" },
      tolerations: [{ key: "amd.com/gpu", operator: "Exists" as const, effect: "NoSchedule" as const }],
    };
    const after = { ...defaultClusterSettings, gpuClasses: [mi300], defaultGpuClass: "mi300", teamMaxGpus: 16 };
    expect(settingsFieldChanges(defaultClusterSettings, after)).toEqual([
      { path: "teamMaxGpus", before: "null", after: "16" },
      {
        path: "gpuClasses.mi300",
        before: null,
        after: '{"description":"MI300X nodes","nodeSelector":{"kubernetes.azure.com/agentpool":"mi300"},"tolerations":[{"key":"amd.com/gpu","operator":"Exists","effect":"NoSchedule"}]}',
      },
      { path: "defaultGpuClass", before: "default", after: "mi300" },
      { path: "gpuClasses.default", before: '{"nodeSelector":{},"tolerations":[]}', after: "(removed)" },
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
