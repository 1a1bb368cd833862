import "server-only";
import { ProvisionError } from "./errors";
import { deleteObject, ref, removeOwnFinalizers, waitUntilGone } from "./kube-objects";
import { step, type StepContext } from "./apply";

// Removing a scale set in the order that lets the ARC controller clean up: first the
// AutoscalingRunnerSet, and nothing else until it is gone, because the controller needs
// the manager Role (to delete runner pods and secrets) and the GitHub App Secret (to
// deregister the scale set from GitHub) while it removes the runners and the listener.
// Then the RBAC objects, then the Secret.

export interface DecommissionOptions {
  /** How long one attempt waits for the controller to remove the AutoscalingRunnerSet. */
  scaleSetGoneTimeoutMs: number;
}

export async function decommissionScaleSet(ctx: StepContext, opts: DecommissionOptions): Promise<void> {
  const { kube, desired } = ctx;

  await step(ctx, "delete-scale-set", async () => {
    const ars = desired.autoscalingRunnerSet;
    const existed = await deleteObject(kube, ars);
    const left = await waitUntilGone(kube, ars, opts.scaleSetGoneTimeoutMs);
    if (left) {
      const finalizers = left.metadata?.finalizers?.join(", ") || "none";
      throw new ProvisionError(
        `${ref(ars)} is deleted but still there: the ARC controller has not finished cleaning up (finalizers: ${finalizers}).`,
        true,
      );
    }
    return existed ? `${ref(ars)} deleted and gone.` : `${ref(ars)} was already gone.`;
  });

  // The controller removes the cleanup finalizers itself once it has finished with the
  // scale set. Those still left now (no controller, or it skipped them) are the portal's
  // own, from the rendered objects, and the AutoscalingRunnerSet is gone: safe to remove.
  await step(ctx, "delete-rbac", async () => {
    const notes: string[] = [];
    for (const obj of [desired.roleBinding, desired.role, desired.serviceAccount]) {
      if (!obj) continue;
      const existed = await deleteObject(kube, obj);
      const removed = existed ? await removeOwnFinalizers(kube, obj) : [];
      const left = existed ? await waitUntilGone(kube, obj, 10_000) : null;
      const extra = removed.length > 0 ? ` (removed leftover finalizer ${removed.join(", ")})` : "";
      const still = left ? `; still terminating, finalizers: ${left.metadata?.finalizers?.join(", ")}` : "";
      notes.push(`${obj.kind} ${obj.metadata.name} ${existed ? "deleted" : "already gone"}${extra}${still}`);
    }
    return `${notes.join("; ")}.`;
  });

  await step(ctx, "delete-secret", async () => {
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: desired.names.secret, namespace: desired.namespace } };
    // An imported scale set's pre-defined Secret (or one the portal never had the key of) is not the portal's to delete.
    if (!desired.ownsSecret) return `${ref(secret)} kept: the portal did not write it, so it does not delete it.`;
    return `${ref(secret)} ${(await deleteObject(kube, secret)) ? "deleted" : "was already gone"}.`;
  });
}
