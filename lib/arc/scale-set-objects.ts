import type { KubeObject } from "./kube-types";
import { renderManifests } from "./manifests";
import { manifestsFromValues } from "./manifests-from-values";
import { renderOverlaidValues } from "./overlaid-values";
import type { OverlayObject, ValuesData } from "./overlay";
import type { ScaleSetSpec } from "./scale-set-spec";
import { githubSecretName, type ClusterSettings } from "./settings";
import { plainData } from "@/lib/plain-data";

// Everything the portal puts on a cluster for one scale set, with or without an "advanced"
// overlay: the values, the chart's objects, and the Secret the values name.

export type ScaleSetObjects = {
  values: ValuesData;
  /** ServiceAccount (unless the template names its own), Role, RoleBinding, AutoscalingRunnerSet. */
  objects: KubeObject[];
  /** The Secret the scale set reads its GitHub App from. */
  secretName: string;
  /**
   * The values name a Secret other than the cluster's naming rule gives (an imported scale set
   * with a pre-defined Secret): the portal neither writes nor deletes it.
   */
  predefinedSecret: boolean;
};

export function renderScaleSetObjects(
  spec: ScaleSetSpec,
  settings: ClusterSettings,
  advanced?: OverlayObject | null,
): ScaleSetObjects {
  const ownSecret = githubSecretName(settings, spec.label);
  if (!advanced) {
    return {
      values: plainData(renderOverlaidValues(spec, settings, null)),
      objects: renderManifests(spec, settings),
      secretName: ownSecret,
      predefinedSecret: false,
    };
  }
  const values = renderOverlaidValues(spec, settings, advanced);
  const secretName = typeof values.githubConfigSecret === "string" ? values.githubConfigSecret : ownSecret;
  return {
    values,
    objects: manifestsFromValues(values, spec, settings),
    secretName,
    predefinedSecret: secretName !== ownSecret,
  };
}
