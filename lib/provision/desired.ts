import "server-only";
import { githubAppSecret, githubSecretName, renderManifests, scaleSetObjectNames, type ClusterSettings, type KubeObject } from "@/lib/arc";
import type { ScaleSetSpec } from "@/lib/arc/scale-set-spec";
import { clusterSettings } from "@/lib/clusters/settings";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import { ProvisionError } from "./errors";

// What the cluster should hold for a request: the rendering core's objects for its approved
// spec, unchanged. Provisioning applies exactly these; drift detection compares against them.

export interface Desired {
  spec: StoredSpec;
  scaleSet: ScaleSetSpec;
  settings: ClusterSettings;
  namespace: string;
  names: ReturnType<typeof scaleSetObjectNames> & { secret: string };
  serviceAccount: KubeObject;
  role: KubeObject;
  roleBinding: KubeObject;
  autoscalingRunnerSet: KubeObject;
}

function byKind(objects: KubeObject[], kind: string): KubeObject {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`the rendering core produced no ${kind}`);
  return found;
}

/** The objects for the request's approved spec; a ProvisionError when nothing was approved. */
export function desiredFor(request: { approvedSpec: unknown; clusterId: string }): Desired {
  if (!request.approvedSpec || typeof request.approvedSpec !== "object") {
    throw new ProvisionError("The request has no approved spec to provision.");
  }
  const spec = request.approvedSpec as StoredSpec;
  const { githubApp: _credentials, ...scaleSet } = spec;
  const settings = clusterSettings(request.clusterId);
  const objects = renderManifests(scaleSet, settings);
  return {
    spec,
    scaleSet,
    settings,
    namespace: scaleSet.namespace,
    names: { ...scaleSetObjectNames(scaleSet.label), secret: githubSecretName(settings, scaleSet.label) },
    serviceAccount: byKind(objects, "ServiceAccount"),
    role: byKind(objects, "Role"),
    roleBinding: byKind(objects, "RoleBinding"),
    autoscalingRunnerSet: byKind(objects, "AutoscalingRunnerSet"),
  };
}

/** The GitHub App Secret with these credentials; the App and installation IDs come from the approved spec. */
export function desiredSecret(d: Desired, privateKey: string): KubeObject {
  const { appId, installationId } = d.spec.githubApp ?? {};
  if (!appId || !installationId) {
    throw new ProvisionError("The approved request has no GitHub App ID or installation ID, so its Secret cannot be written.");
  }
  return githubAppSecret(d.scaleSet, d.settings, { appId, installationId, privateKey });
}
