// The admin settings form's rows and text round-trip to the settings the shared schema checks.
import { describe, expect, it } from "vitest";
import { formFromSettings, settingsFromForm, fieldForPath } from "@/components/admin/settings-form-state";
import { clusterSettingsSchema, defaultClusterSettings, type ClusterSettings } from "@/lib/arc/settings";

const production: ClusterSettings = {
  ...defaultClusterSettings,
  // The placement of the nod-ai production values file (reference/aks-githubarc-setup).
  gpuPlacement: {
    nodeSelector: { santaclara: "yes" },
    tolerations: [
      { key: "shark-ci", operator: "Equal", value: "reserved", effect: "NoSchedule" },
      { key: "amd.com/gpu", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 },
    ],
  },
};

describe("the settings form state", () => {
  it("gives back exactly the settings it was made from", () => {
    expect(clusterSettingsSchema.parse(settingsFromForm(formFromSettings(production)))).toEqual(production);
    expect(clusterSettingsSchema.parse(settingsFromForm(formFromSettings(defaultClusterSettings)))).toEqual(defaultClusterSettings);
  });

  it("drops blank node-selector rows, and leaves half-typed numbers for the schema to name", () => {
    const form = formFromSettings(production);
    form.nodeSelector.push({ key: " ", value: "" });
    form.maxRunnersCeiling = "12a";
    const parsed = clusterSettingsSchema.safeParse(settingsFromForm(form));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => fieldForPath(i.path.join(".")))).toEqual(["maxRunnersCeiling"]);
  });

  it("maps nested schema paths to the form field that shows the error", () => {
    expect(fieldForPath("controllerServiceAccount.namespace")).toBe("controllerNamespace");
    expect(fieldForPath("gpuPlacement.tolerations.0.operator")).toBe("tolerations");
  });
});
