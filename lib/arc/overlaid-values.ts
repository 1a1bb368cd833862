import { applyOverlay, type OverlayObject, type ValuesData } from "./overlay";
import type { ScaleSetSpec } from "./scale-set-spec";
import type { ClusterSettings } from "./settings";
import { renderValues } from "./values";
import { commentOnTop, kubeYamlDocument, yamlText } from "./yaml";
import { plainData } from "@/lib/plain-data";

// The values of a scale set with an "advanced" overlay (an imported one): the fields'
// rendering with the overlay applied. Without an overlay this is renderValues exactly.

/** The scale set's Helm values: the form's fields rendered, then the overlay applied. */
export function renderOverlaidValues(
  spec: ScaleSetSpec,
  settings: ClusterSettings,
  advanced: OverlayObject | null | undefined,
): ValuesData {
  const rendered = plainData<ValuesData>(renderValues(spec, settings));
  return applyOverlay(rendered, advanced);
}

/** The values file of a scale set with an overlay; comments only on top, as the overlay may move anything. */
export function renderOverlaidValuesYaml(
  spec: ScaleSetSpec,
  settings: ClusterSettings,
  advanced: OverlayObject | null | undefined,
): string {
  const doc = kubeYamlDocument(renderOverlaidValues(spec, settings, advanced));
  commentOnTop(
    doc,
    [
      `Runner scale set "${spec.label}" for ARC chart gha-runner-scale-set ${settings.chartVersion},`,
      "with an advanced overlay for what the portal's form cannot say.",
      `helm upgrade --install ${spec.label} -n ${spec.namespace} \\`,
      `  oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set \\`,
      `  --version ${settings.chartVersion} -f values.yaml`,
    ].join("\n"),
  );
  return yamlText(doc);
}
