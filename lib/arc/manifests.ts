import type { KubeObject } from "./kube-types";
import type { ScaleSetSpec } from "./scale-set-spec";
import { githubSecretName, type ClusterSettings } from "./settings";
import { commonLabels, manifestsFromValues } from "./manifests-from-values";
import { scaleSetObjectNames } from "./object-names";
import type { ValuesData } from "./overlay";
import { renderValues } from "./values";

export { scaleSetObjectNames };

// The objects `helm template <label> gha-runner-scale-set -n <namespace> -f values.yaml`
// renders with chart 0.14.2 for our values file, without Helm's own labels (helm.sh/chart,
// app.kubernetes.io/managed-by). The provisioning job applies these, and the GitHub App
// Secret, with server-side apply. lib/arc/__golden__/helm-template-*.yaml holds helm's output.

/**
 * ServiceAccount, Role, RoleBinding and AutoscalingRunnerSet, in the order Helm installs them:
 * the chart's objects for the values file the form renders (one renderer for every values file).
 */
export function renderManifests(spec: ScaleSetSpec, settings: ClusterSettings): KubeObject[] {
  return manifestsFromValues(renderValues(spec, settings) as ValuesData, { label: spec.label, namespace: spec.namespace }, settings);
}

export type GithubAppCredentials = { appId: string; installationId: string; privateKey: string };

/**
 * The Secret the scale set's githubConfigSecret names, with the keys the controller reads.
 * `data` (base64) rather than `stringData`: stringData is write-only and never stored, so
 * server-side apply would record ownership of fields the live object does not have, a
 * removed key would linger in data, and every drift check would see a difference. With data
 * the applied object is the stored one. No finalizer: the chart does not manage this Secret,
 * and the controller still needs it while it cleans up a deleted scale set.
 */
export function githubAppSecret(
  spec: Pick<ScaleSetSpec, "label" | "namespace">,
  settings: ClusterSettings,
  credentials: GithubAppCredentials,
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: githubSecretName(settings, spec.label),
      namespace: spec.namespace,
      labels: commonLabels(spec.label, spec.namespace, settings),
    },
    type: "Opaque",
    data: {
      github_app_id: base64(credentials.appId),
      github_app_installation_id: base64(credentials.installationId),
      github_app_private_key: base64(credentials.privateKey),
    },
  };
}

/** Base64 of the UTF-8 bytes, with browser APIs only (this module also runs in the form). */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
