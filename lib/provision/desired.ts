import "server-only";
import { githubAppSecret, scaleSetObjectNames, type ClusterSettings, type KubeObject } from "@/lib/arc";
import type { OverlayObject } from "@/lib/arc/overlay";
import { renderScaleSetObjects } from "@/lib/arc/scale-set-objects";
import type { ScaleSetSpec } from "@/lib/arc/scale-set-spec";
import { advancedOf, settingsForRequest, type RenderSource } from "@/lib/clusters/request-settings";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import { ProvisionError } from "./errors";

// What the cluster should hold for a request: the rendering core's objects for its approved
// spec and its "advanced" overlay, with the settings it is applied with (its appliedSettings,
// else the cluster's current ones; see lib/clusters/request-settings.ts), unchanged.
// Provisioning applies exactly these; drift detection compares against them.

export interface Desired {
  spec: StoredSpec;
  scaleSet: ScaleSetSpec;
  settings: ClusterSettings;
  advanced: OverlayObject | null;
  namespace: string;
  names: ReturnType<typeof scaleSetObjectNames> & { secret: string };
  /**
   * Whether the portal writes (and on decommission deletes) the GitHub App Secret. Not for an
   * imported scale set whose values name a pre-defined Secret, nor for one whose App the
   * portal was never told (an import carries no key): that Secret stays as it is.
   */
  ownsSecret: boolean;
  /** Null when the pod template names its own service account (an imported scale set). */
  serviceAccount: KubeObject | null;
  role: KubeObject;
  roleBinding: KubeObject;
  autoscalingRunnerSet: KubeObject;
}

function byKind(objects: KubeObject[], kind: string): KubeObject {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`the rendering core produced no ${kind}`);
  return found;
}

type DesiredSource = { approvedSpec: unknown; clusterId: string; advanced?: unknown };

/**
 * The objects for the request's approved spec and overlay, rendered with its cluster's `settings`;
 * a ProvisionError when nothing was approved. Provisioning, status and drift use desiredForRequest.
 */
export function desiredFor(request: DesiredSource, settings: ClusterSettings): Desired {
  if (!request.approvedSpec || typeof request.approvedSpec !== "object") {
    throw new ProvisionError("The request has no approved spec to provision.");
  }
  const spec = request.approvedSpec as StoredSpec;
  const { githubApp: _credentials, ...scaleSet } = spec;
  const advanced = advancedOf(request);
  const rendered = renderScaleSetObjects(scaleSet, settings, advanced);
  const objects = rendered.objects;
  return {
    spec,
    scaleSet,
    settings,
    advanced,
    namespace: scaleSet.namespace,
    names: { ...scaleSetObjectNames(scaleSet.label), secret: rendered.secretName },
    ownsSecret: !rendered.predefinedSecret && !!spec.githubApp?.appId,
    serviceAccount: objects.find((o) => o.kind === "ServiceAccount") ?? null,
    role: byKind(objects, "Role"),
    roleBinding: byKind(objects, "RoleBinding"),
    autoscalingRunnerSet: byKind(objects, "AutoscalingRunnerSet"),
  };
}

/** desiredFor with the settings the request is applied with: its appliedSettings, else the cluster's current ones. */
export async function desiredForRequest(request: DesiredSource & RenderSource): Promise<Desired> {
  if (!request.approvedSpec || typeof request.approvedSpec !== "object") {
    throw new ProvisionError("The request has no approved spec to provision.");
  }
  return desiredFor(request, await settingsForRequest(request));
}

/** The GitHub App Secret with these credentials; the App and installation IDs come from the approved spec. */
export function desiredSecret(d: Desired, privateKey: string): KubeObject {
  const { appId, installationId } = d.spec.githubApp ?? {};
  if (!appId || !installationId) {
    throw new ProvisionError("The approved request has no GitHub App ID or installation ID, so its Secret cannot be written.");
  }
  return githubAppSecret(d.scaleSet, d.settings, { appId, installationId, privateKey });
}
