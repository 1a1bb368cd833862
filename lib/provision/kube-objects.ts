import "server-only";
import { PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import type { Kube } from "@/lib/kube/client";
import { describeKubeError, isNotFound } from "@/lib/kube/errors";
import { kubeFailure, ProvisionError } from "./errors";

// Server-side apply under the portal's one field manager, and the reads and deletes around it.

export const FIELD_MANAGER = "arc-runner-portal";

export type Conflict = { manager: string; field: string };

/** Any object the portal applies: the rendering core's, or a namespace (which has no namespace). */
export type PortalObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; finalizers?: string[] };
} & Record<string, unknown>;

export function ref(obj: { kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : "";
  return `${obj.kind} ${ns}${obj.metadata?.name}`;
}

function header(obj: PortalObject | KubernetesObject): KubernetesObject {
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata?.name, namespace: obj.metadata?.namespace } };
}

/** The live object, or null when it does not exist. */
export async function readObject<T extends KubernetesObject = KubernetesObject>(kube: Kube, obj: PortalObject | KubernetesObject): Promise<T | null> {
  try {
    return await kube.objects.read<T>(header(obj) as T & { metadata: { name: string; namespace?: string } });
  } catch (err) {
    if (isNotFound(err)) return null;
    throw kubeFailure(err, `Reading ${ref(obj)}`, kube.server);
  }
}

/** Whether the portal has applied this object before (it holds fields of it). */
function appliedByPortal(live: KubernetesObject | null): boolean {
  return !!live?.metadata?.managedFields?.some((m) => m.manager === FIELD_MANAGER && m.operation === "Apply");
}

function conflictText(conflicts: Conflict[]): string {
  return conflicts.map((c) => `${c.field.replace(/^\./, "") || "a field"} (owned by ${c.manager})`).join(", ");
}

/**
 * Server-side applies `obj` as the portal, never forcing on the first try. A conflict with
 * another field manager is reported as a ProvisionError, except when `takeOver` is set (a
 * reviewer's re-apply or retry) and the object is one the portal applied before: then the
 * reviewer's explicit decision restores the approved values over hand edits. An object the
 * portal never applied (a Helm release of the same name, say) is never taken over, unless
 * `adoptFrom` names its managers: the reviewer's re-apply of an imported scale set, whose
 * objects those managers wrote (see adoption in lib/provision/run.ts). Then the apply is
 * forced and those managers are released from the object (releaseManagers).
 */
export async function serverSideApply(
  kube: Kube,
  obj: PortalObject,
  opts: { takeOver: boolean; adoptFrom?: string[] },
): Promise<{ live: KubernetesObject; tookOver: Conflict[]; released?: Released }> {
  const apply = (force: boolean) =>
    kube.objects.patch(obj as unknown as KubernetesObject, undefined, undefined, FIELD_MANAGER, force, PatchStrategy.ServerSideApply);
  const adopting = (opts.adoptFrom?.length ?? 0) > 0;
  const adopted = async (live: KubernetesObject, tookOver: Conflict[]) => ({
    live,
    tookOver,
    released: adopting ? await releaseManagers(kube, obj, opts.adoptFrom!) : undefined,
  });
  try {
    return await adopted(await apply(false), []);
  } catch (err) {
    if (err instanceof ProvisionError) throw err;
    const problem = describeKubeError(err, kube.server);
    if (problem.status !== 409) throw kubeFailure(err, `Applying ${ref(obj)}`, kube.server);
    const conflicts = problem.conflicts ?? [];
    const ours = appliedByPortal(await readObject(kube, obj));
    if ((opts.takeOver && ours) || adopting) {
      let live: KubernetesObject;
      try {
        live = await apply(true);
      } catch (forced) {
        throw kubeFailure(forced, `Applying ${ref(obj)}`, kube.server);
      }
      return adopted(live, conflicts);
    }
    const what = conflicts.length > 0 ? conflictText(conflicts) : problem.message;
    const next = ours
      ? "A reviewer's retry (or re-apply) restores the approved values over these edits."
      : "The portal did not create this object and will not take it over: remove it or choose another runner label, then retry.";
    throw new ProvisionError(
      `${ref(obj)}: another field manager owns fields the portal would change: ${what}. The portal does not force its way past other owners. ${next} (API server: ${problem.message})`,
    );
  }
}

/** What a take-over removed from an object besides the forced fields. */
export type Released = { managers: string[]; metadata: string[] };

// Helm's marks of ownership: with them, a later `helm install` of the same release name would
// silently adopt the objects back; without them it refuses ("invalid ownership metadata").
const HELM_LABELS = ["app.kubernetes.io/managed-by", "helm.sh/chart"];
const HELM_ANNOTATIONS = ["meta.helm.sh/release-name", "meta.helm.sh/release-namespace"];

/**
 * Removes the managedFields entries of `managers` (so the portal alone owns the fields it
 * applies; fields only they wrote are left in place, unowned) and Helm's ownership labels and
 * annotations the rendered object does not carry. Guarded by resourceVersion; the controller's
 * entries and the status subresource's are kept.
 */
async function releaseManagers(kube: Kube, obj: PortalObject, managers: string[]): Promise<Released> {
  const wanted = obj.metadata as PortalObject["metadata"] & { annotations?: Record<string, string> };
  for (let attempt = 0; ; attempt++) {
    const live = await readObject(kube, obj);
    if (!live) return { managers: [], metadata: [] };
    const fields = live.metadata?.managedFields ?? [];
    const keep = fields.filter((m) => m.subresource || !managers.includes(m.manager ?? ""));
    const releasedManagers = [...new Set(fields.filter((m) => !keep.includes(m)).map((m) => m.manager ?? "?"))];
    const labels = HELM_LABELS.filter((k) => live.metadata?.labels?.[k] !== undefined && wanted.labels?.[k] === undefined)
      .filter((k) => k !== "app.kubernetes.io/managed-by" || live.metadata?.labels?.[k] === "Helm");
    const annotations = HELM_ANNOTATIONS.filter((k) => live.metadata?.annotations?.[k] !== undefined && wanted.annotations?.[k] === undefined);
    if (releasedManagers.length === 0 && labels.length === 0 && annotations.length === 0) return { managers: [], metadata: [] };
    const nulls = (keys: string[]) => (keys.length ? Object.fromEntries(keys.map((k) => [k, null])) : undefined);
    try {
      await patchMetadata(kube, obj, live, { managedFields: keep, labels: nulls(labels), annotations: nulls(annotations) });
      return { managers: releasedManagers, metadata: [...labels.map((k) => `label ${k}`), ...annotations.map((k) => `annotation ${k}`)] };
    } catch (err) {
      if (describeKubeError(err).status !== 409 || attempt === 2) throw kubeFailure(err, `Releasing ${ref(obj)} from ${managers.join(", ")}`, kube.server);
    }
  }
}

/** A merge patch of the object's metadata, guarded by the live resourceVersion: a concurrent change makes it a 409. */
function patchMetadata(kube: Kube, obj: PortalObject, live: KubernetesObject, metadata: Record<string, unknown>) {
  const patch = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, resourceVersion: live.metadata?.resourceVersion, ...metadata },
  };
  return kube.objects.patch(patch as unknown as KubernetesObject, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch);
}

/** Deletes the object; false when it was already gone. */
export async function deleteObject(kube: Kube, obj: PortalObject): Promise<boolean> {
  try {
    await kube.objects.delete(header(obj));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw kubeFailure(err, `Deleting ${ref(obj)}`, kube.server);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the object is gone; returns the live object if it is still there at the deadline. */
export async function waitUntilGone(kube: Kube, obj: PortalObject, timeoutMs: number): Promise<KubernetesObject | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = await readObject(kube, obj);
    if (!live || Date.now() >= deadline) return live;
    await sleep(Math.min(1000, Math.max(50, deadline - Date.now())));
  }
}

/**
 * Removes the finalizers the portal itself put on the object (those in the rendered object),
 * leaving anyone else's. Guarded by resourceVersion so a concurrent change is not overwritten.
 * Returns the finalizers removed.
 */
export async function removeOwnFinalizers(kube: Kube, obj: PortalObject): Promise<string[]> {
  const own = new Set(obj.metadata.finalizers ?? []);
  for (let attempt = 0; attempt < 3; attempt++) {
    const live = await readObject(kube, obj);
    const present = live?.metadata?.finalizers ?? [];
    const removed = present.filter((f) => own.has(f));
    if (!live || removed.length === 0) return [];
    try {
      await patchMetadata(kube, obj, live, { finalizers: present.filter((f) => !own.has(f)) });
      return removed;
    } catch (err) {
      if (isNotFound(err)) return [];
      if (describeKubeError(err).status !== 409 || attempt === 2) throw kubeFailure(err, `Removing finalizers from ${ref(obj)}`, kube.server);
    }
  }
  return [];
}
