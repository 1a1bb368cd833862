import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { withProvisionalOverlay } from "@/lib/arc/import-values";
import { conflict, notFoundError, unprocessable, type FieldErrors } from "@/lib/http-errors";
import { parseBody } from "./import-body-parse";
import { liveImportBody } from "./import-body";
import { askCluster, importTarget } from "./import-connection";
import { importLiveScaleSet, listUnmanagedScaleSets, LiveScaleSetNotFound, type KnownScaleSet, type LiveImport } from "./import-live";
import { createImportedRequest } from "./import-request";
import { ownerName } from "./import-team";

// Importing from the cluster, as the admin pages use it: list what the portal does not manage,
// show what an import would store, and store it. Only reads the cluster.

/** Scale sets with a request on this cluster: by the labels their requests hold. */
async function claims(clusterId: string) {
  return db.labelClaim.findMany({
    where: { clusterId },
    select: { label: true, request: { select: { number: true, namespace: true } } },
  });
}

export async function listImportable(clusterId: string) {
  const target = await importTarget(clusterId);
  const held = await claims(clusterId);
  const known: KnownScaleSet[] = held.map((c) => ({ namespace: c.request.namespace, label: c.label }));
  const kube = target.kube();
  const scaleSets = await askCluster(kube, () => listUnmanagedScaleSets(kube, known));
  const holder = new Map(held.map((c) => [c.label, c.request.number]));
  return {
    cluster: { id: target.cluster.id, name: target.cluster.name, displayName: target.cluster.displayName },
    // A label another request holds elsewhere on this cluster cannot be imported (one label, one scale set).
    scaleSets: scaleSets.map((s) => ({ ...s, labelHeldBy: holder.get(s.label) ?? null })),
  };
}

export type ImportableList = Awaited<ReturnType<typeof listImportable>>;

function ownerHints(team: string | undefined, body: unknown) {
  const contact = (body as { contact?: unknown } | null)?.contact;
  return { ...(team ? { team } : {}), ...(typeof contact === "string" && contact.trim() ? { contact: contact.trim() } : {}) };
}

async function readLive(clusterId: string, body: unknown) {
  const input = parseBody(liveImportBody, body);
  const target = await importTarget(clusterId);
  const owner = await ownerName(input.team);
  const kube = target.kube();
  const hints = ownerHints(owner.name, input);
  let imported: LiveImport;
  try {
    imported = await askCluster(kube, () => importLiveScaleSet(kube, target.settings, { namespace: input.namespace, name: input.name }, hints));
  } catch (err) {
    if (err instanceof LiveScaleSetNotFound) throw notFoundError(err.message);
    throw err;
  }
  if (imported.managedByPortal) {
    throw conflict(`The portal already manages "${input.name}" in namespace "${input.namespace}": it applied it itself.`);
  }
  const holder = await db.labelClaim.findUnique({
    where: { clusterId_label: { clusterId, label: imported.label } },
    select: { request: { select: { number: true } } },
  });
  if (holder) {
    throw conflict(`Request #${holder.request.number} already holds the label "${imported.label}" on this cluster.`, {
      label: ["This label is taken on this cluster"],
    });
  }
  return { input, target, owner, imported };
}

/** What importing this scale set would store, for the admin to confirm. */
export async function previewLiveImport(clusterId: string, body: unknown) {
  const { input, target, owner, imported: live } = await readLive(clusterId, body);
  const where = { namespace: input.namespace, label: live.label };
  const imported = withProvisionalOverlay(live, live.values, target.settings, { ...where, ...ownerHints(owner.name, input) });
  return {
    cluster: { id: target.cluster.id, displayName: target.cluster.displayName },
    team: owner,
    label: live.label,
    fields: imported.fields,
    needsInput: imported.needsInput,
    advanced: imported.advanced ?? null,
    unrepresented: imported.unrepresented,
    cannotApply: imported.cannotApply,
    controllerFrom: live.controllerFrom,
  };
}

export type LiveImportPreview = Awaited<ReturnType<typeof previewLiveImport>>;

export function needsInputErrors(needs: { field: string; why: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const n of needs) (errors[n.field] ??= []).push(n.why);
  return errors;
}

export function refuseUnappliable(cannotApply: string[]) {
  if (cannotApply.length > 0) {
    throw unprocessable(
      `The portal cannot manage this scale set as the chart would: it uses ${cannotApply.join(", ")}. Keep managing it with helm.`,
    );
  }
}

/** Imports the scale set as a READY request of the chosen team; the cluster is not changed. */
export async function importFromCluster(actor: Actor, clusterId: string, body: unknown) {
  const { imported } = await readLive(clusterId, body);
  if (!imported.spec || imported.needsInput.length > 0) {
    throw unprocessable("Some answers are missing or not valid; see each field.", needsInputErrors(imported.needsInput));
  }
  refuseUnappliable(imported.cannotApply);
  const request = await createImportedRequest(actor, {
    clusterId,
    teamName: imported.spec.team,
    spec: imported.spec,
    advanced: imported.advanced,
    unrepresented: imported.unrepresented,
    source: "cluster",
    adoptFrom: imported.managers,
  });
  return { id: request.id, number: request.number, status: request.status };
}
