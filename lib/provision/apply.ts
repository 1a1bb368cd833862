import "server-only";
import type { V1Namespace, V1Secret } from "@kubernetes/client-node";
import { githubSecretName, type KubeObject } from "@/lib/arc";
import { open } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import type { RunnerRequest } from "@/lib/generated/prisma/client";
import type { Kube } from "@/lib/kube/client";
import { isNotFound } from "@/lib/kube/errors";
import { desiredSecret, type Desired } from "./desired";
import { kubeFailure, ProvisionError } from "./errors";
import { forgetPrivateKey } from "./forget-key";
import { readObject, ref, serverSideApply, type Conflict, type PortalObject, type Released } from "./kube-objects";
import { record } from "./timeline";

// Provisioning a scale set, in the order the controller needs things: namespace, the
// GitHub App Secret, the RBAC the controller uses in the namespace, then the
// AutoscalingRunnerSet that the controller acts on. Every step is server-side apply of the
// rendering core's objects, so running it again changes nothing.

export type StepName = "namespace" | "secret" | "rbac" | "scale-set" | "delete-scale-set" | "delete-rbac" | "delete-secret";

export interface StepContext {
  kube: Kube;
  request: RunnerRequest;
  desired: Desired;
  /** A reviewer's re-apply or retry: may restore approved values over hand edits (see serverSideApply). */
  takeOver: boolean;
  /**
   * Taking an imported scale set over: the managers its objects belong to (request.adoptFrom),
   * set only for a reviewer's re-apply or retry of a request marked so. Its own objects are then
   * applied with force and released from them; the namespace and a foreign Secret never are.
   */
  adoptFrom?: string[];
  /** Called after each step is recorded; lets tests interrupt provisioning between steps. */
  afterStep?: (step: StepName) => Promise<void>;
}

export async function step(ctx: StepContext, name: StepName, run: () => Promise<string | null>): Promise<void> {
  const outcome = await run();
  if (outcome) await record(ctx.request.id, name.startsWith("delete-") ? "decommission_step" : "provision_step", outcome);
  await ctx.afterStep?.(name);
}

function tookOverText(list: Conflict[], released?: Released[]): string {
  if (released) return adoptedText(list, released);
  if (list.length === 0) return "";
  const fields = list.map((c) => `${c.field.replace(/^\./, "")} from ${c.manager}`).join(", ");
  return ` Restored the approved values over hand edits, as the reviewer asked: took back ${fields}.`;
}

/** What a take-over did to one step's objects, for the timeline: which fields it took from whom. */
function adoptedText(list: Conflict[], released: Released[]): string {
  const managers = [...new Set(released.flatMap((r) => r.managers))];
  const metadata = [...new Set(released.flatMap((r) => r.metadata))];
  const fields = list.map((c) => `${c.field.replace(/^\./, "") || "a field"} from ${c.manager}`).join(", ");
  return (
    ` Taken over, as the reviewer asked: ${fields ? `forced ${fields}` : "no field conflicted"}` +
    `${managers.length ? `; ${managers.join(", ")} no longer own${managers.length === 1 ? "s" : ""} any field` : ""}` +
    `${metadata.length ? `; removed Helm's ${metadata.join(", ")}` : ""}.`
  );
}

const adoptOpts = (ctx: StepContext) => ({ takeOver: ctx.takeOver, adoptFrom: ctx.adoptFrom });
const releasedOf = (ctx: StepContext, results: { released?: Released }[]) =>
  ctx.adoptFrom?.length ? results.map((r) => r.released ?? { managers: [], metadata: [] }) : undefined;

async function ensureNamespace(ctx: StepContext): Promise<string> {
  const { kube, desired } = ctx;
  const name = desired.namespace;
  let ns: V1Namespace | null = null;
  try {
    ns = await kube.core.readNamespace({ name });
  } catch (err) {
    if (!isNotFound(err)) throw kubeFailure(err, `Reading namespace ${name}`, kube.server);
  }
  if (ns?.status?.phase === "Terminating") {
    throw new ProvisionError(`Namespace ${name} is being deleted; wait until it is gone (or pick another namespace), then retry.`);
  }
  if (ns) return `Namespace ${name} exists.`;
  if (!desired.settings.allowCreateNamespace) {
    throw new ProvisionError(
      `Namespace ${name} does not exist on the cluster, and the portal may not create namespaces there (ARC_ALLOW_CREATE_NAMESPACE is off). Ask the cluster's administrators to create it, then retry.`,
    );
  }
  const namespace: PortalObject = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: { "app.kubernetes.io/managed-by": "arc-runner-portal" } },
  };
  await serverSideApply(kube, namespace, { takeOver: false });
  return `Namespace ${name} created.`;
}

const SECRET_KEYS = ["github_app_id", "github_app_installation_id", "github_app_private_key"] as const;
const decode = (b64: string | undefined) => (b64 === undefined ? undefined : Buffer.from(b64, "base64").toString("utf8"));

/** Applies the Secret and reads it back; a difference means the cluster does not hold what we sent. */
async function applyAndVerifySecret(ctx: StepContext, secret: KubeObject): Promise<Conflict[]> {
  const { tookOver } = await serverSideApply(ctx.kube, secret, { takeOver: ctx.takeOver });
  const live = await readObject<V1Secret>(ctx.kube, secret);
  const sent = secret.data as Record<string, string>;
  const wrong = SECRET_KEYS.filter((k) => live?.data?.[k] !== sent[k]);
  if (!live || wrong.length > 0) {
    throw new ProvisionError(`${ref(secret)} read back differs from what was applied (${wrong.join(", ") || "missing"}); the private key is kept until it matches.`, true);
  }
  return tookOver;
}

/** An imported scale set's Secret (pre-defined, or one whose key the portal never had) is read, never written. */
async function keepForeignSecret(ctx: StepContext): Promise<string> {
  const { desired } = ctx;
  const header: PortalObject = { apiVersion: "v1", kind: "Secret", metadata: { name: desired.names.secret, namespace: desired.namespace } };
  const live = await readObject<V1Secret>(ctx.kube, header);
  const why = desired.names.secret === githubSecretName(desired.settings, desired.scaleSet.label)
    ? "the portal was never given this scale set's GitHub App key"
    : "the scale set's values name this pre-defined Secret";
  return live
    ? `${ref(header)} left as it is: ${why}, so the portal neither writes nor deletes it.`
    : `${ref(header)} does not exist, and the portal does not create it (${why}); the scale set cannot reach GitHub until its owners create it.`;
}

async function applySecret(ctx: StepContext): Promise<string | null> {
  const { request, desired } = ctx;
  if (!desired.ownsSecret) return keepForeignSecret(ctx);
  const ciphertext = request.privateKeyCiphertext;
  if (ciphertext) {
    const secret = desiredSecret(desired, open(ciphertext, env().ENCRYPTION_KEY));
    const tookOver = await applyAndVerifySecret(ctx, secret);
    await record(
      request.id,
      "provision_step",
      `${ref(secret)} applied and read back (${SECRET_KEYS.join(", ")}; key ${request.privateKeyFingerprint ?? "without fingerprint"}).${tookOverText(tookOver)}`,
    );
    await forgetPrivateKey(request.id, ciphertext, request.privateKeyFingerprint, ref(secret));
    return null;
  }

  // No key in the database: it was handed over before (a change without a new key, or a
  // retry after the Secret step). The Secret already in the cluster stays.
  const name = desired.names.secret;
  const header: PortalObject = { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: desired.namespace } };
  const live = await readObject<V1Secret>(ctx.kube, header);
  const pem = decode(live?.data?.github_app_private_key);
  if (!live || !pem) {
    throw new ProvisionError(
      `${ref(header)} ${live ? "has no github_app_private_key" : "does not exist"}, and this request carries no private key. Ask the team to submit the GitHub App private key again with a change request.`,
    );
  }
  const app = desired.spec.githubApp;
  if (decode(live.data?.github_app_id) === app?.appId && decode(live.data?.github_app_installation_id) === app?.installationId) {
    return `${ref(header)} kept: this request carries no new private key, and the App and installation IDs are unchanged.`;
  }
  const tookOver = await applyAndVerifySecret(ctx, desiredSecret(desired, pem));
  return `${ref(header)} updated with App ID ${app?.appId} and installation ID ${app?.installationId}; the private key already in it was kept.${tookOverText(tookOver)}`;
}

async function applyRbac(ctx: StepContext): Promise<string> {
  const { desired } = ctx;
  type Result = { tookOver: Conflict[]; released?: Released };
  const apply = async (obj: KubeObject | null): Promise<Result[]> => (obj ? [await serverSideApply(ctx.kube, obj, adoptOpts(ctx))] : []);
  // The ServiceAccount and the Role need nothing of each other: one round trip for both. The
  // RoleBinding follows the Role, as an API server that checks escalation wants the Role there.
  const both = await Promise.allSettled([apply(desired.serviceAccount), apply(desired.role)]);
  const results: Result[] = [];
  for (const r of both) {
    if (r.status === "rejected") throw r.reason; // the first in order, whichever failed first in time
    results.push(...r.value);
  }
  results.push(...(await apply(desired.roleBinding)));
  const tookOver = results.flatMap((r) => r.tookOver);
  const controller = desired.settings.controllerServiceAccount;
  const serviceAccount = desired.serviceAccount ? `ServiceAccount ${desired.names.noPermissionServiceAccount}, ` : "";
  return (
    `${serviceAccount}Role ${desired.names.managerRole} and RoleBinding ${desired.names.managerRoleBinding} applied in ${desired.namespace} ` +
    `(the Role lets the ARC controller ${controller.namespace}/${controller.name} manage this scale set's runners).${tookOverText(tookOver, releasedOf(ctx, results))}`
  );
}

async function applyAutoscalingRunnerSet(ctx: StepContext): Promise<string> {
  const { desired } = ctx;
  const result = await serverSideApply(ctx.kube, desired.autoscalingRunnerSet, adoptOpts(ctx));
  const s = desired.scaleSet;
  return `${ref(desired.autoscalingRunnerSet)} applied: runs-on: ${s.label}, ${s.minRunners} to ${s.maxRunners} runners.${tookOverText(result.tookOver, releasedOf(ctx, [result]))}`;
}

/** Applies everything a NEW or CHANGE request needs. */
export async function applyScaleSet(ctx: StepContext): Promise<void> {
  await step(ctx, "namespace", () => ensureNamespace(ctx));
  await step(ctx, "secret", () => applySecret(ctx));
  await step(ctx, "rbac", () => applyRbac(ctx));
  await step(ctx, "scale-set", () => applyAutoscalingRunnerSet(ctx));
}
