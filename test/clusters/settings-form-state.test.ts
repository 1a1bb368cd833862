// The admin settings form's rows and text round-trip to the settings the shared schema checks.
import { describe, expect, it } from "vitest";
import { formFromSettings, settingsFromForm, fieldForPath } from "@/components/admin/settings-form-state";
import { clusterSettingsSchema, defaultClusterSettings, type ClusterSettings } from "@/lib/arc/settings";

const production: ClusterSettings = {
  ...defaultClusterSettings,
  // The placement of the nod-ai production values file (reference/aks-githubarc-setup).
  gpuClasses: [
    {
      name: "mi300",
      description: "MI300X nodes, 8 GPUs each",
      nodeSelector: { santaclara: "yes" },
      tolerations: [
        { key: "shark-ci", operator: "Equal", value: "reserved", effect: "NoSchedule" },
        { key: "amd.com/gpu", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 },
      ],
    },
    { name: "mi250", nodeSelector: { pool: "mi250" }, tolerations: [] },
  ],
  defaultGpuClass: "mi300",
  teamMaxRunners: 40,
  teamMaxGpus: 64,
};

describe("the settings form state", () => {
  it("gives back exactly the settings it was made from", () => {
    expect(clusterSettingsSchema.parse(settingsFromForm(formFromSettings(production)))).toEqual(production);
    expect(clusterSettingsSchema.parse(settingsFromForm(formFromSettings(defaultClusterSettings)))).toEqual(defaultClusterSettings);
  });

  it("drops blank node-selector rows, and leaves half-typed numbers for the schema to name", () => {
    const form = formFromSettings(production);
    form.gpuClasses[0]!.nodeSelector.push({ key: " ", value: "" });
    form.maxRunnersCeiling = "12a";
    const parsed = clusterSettingsSchema.safeParse(settingsFromForm(form));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => fieldForPath(i.path.join(".")))).toEqual(["maxRunnersCeiling"]);
  });

  it("maps nested schema paths to the form field that shows the error", () => {
    expect(fieldForPath("controllerServiceAccount.namespace")).toBe("controllerNamespace");
    expect(fieldForPath("gpuClasses.1.tolerations.0.operator")).toBe("gpuClasses.1.tolerations");
    expect(fieldForPath("gpuClasses.0.name")).toBe("gpuClasses.0.name");
  });

  it("reads blank team ceilings as none, and names a class used twice and a default that is no class", () => {
    const form = formFromSettings(production);
    form.teamMaxRunners = " ";
    form.teamMaxGpus = "";
    expect(clusterSettingsSchema.parse(settingsFromForm(form))).toMatchObject({ teamMaxRunners: null, teamMaxGpus: null });
    form.gpuClasses[1]!.name = "mi300";
    form.defaultGpuClass = "mi355";
    const parsed = clusterSettingsSchema.safeParse(settingsFromForm(form));
    expect(parsed.error!.issues.map((i) => [fieldForPath(i.path.join(".")), i.message])).toEqual([
      ["gpuClasses.1.name", 'must be unique; "mi300" is used twice'],
      ["defaultGpuClass", "must name one of the GPU classes (mi300)"],
    ]);
  });
});
