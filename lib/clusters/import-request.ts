import "server-only";
import type { OverlayEntry, OverlayObject } from "@/lib/arc/overlay";
import type { ScaleSetSpec } from "@/lib/arc/scale-set-spec";
import type { Actor } from "@/lib/auth/actor";
import { appendEvent } from "@/lib/audit";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict, notFoundError, unprocessable } from "@/lib/http-errors";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import { loadClusterSettings } from "./cluster-settings";
import { PORTAL_FIELD_MANAGER } from "./import-live";

// An imported scale set becomes a READY request owned by the team the admin chose, with the
// imported spec as its approved version and the overlay as `advanced`. Nothing is applied:
// the scale set already runs.
// Its objects stay helm's (adoptFrom) until a reviewer re-applies it: that first apply is an
// explicit take-over (lib/provision/run.ts). The portal never has the GitHub App key of an imported scale set: its Secret stays the
// one that exists on the cluster.

export type ImportedScaleSet = {
  clusterId: string;
  teamId: string;
  /** Complete and validated (lib/arc/import-values.ts); its team is the chosen team's name. */
  spec: ScaleSetSpec;
  advanced?: OverlayObject;
  unrepresented: OverlayEntry[];
  source: "values-file" | "cluster";
  /**
   * The field managers that wrote the live objects (LiveImport.managers), which the first
   * re-apply takes the scale set over from. Default: helm, which installs from values files.
   */
  adoptFrom?: string[];
};

/** The adoptFrom marker of an imported request: its objects' managers other than the portal. */
export function adoptionMarker(managers: string[] | undefined): string {
  const others = (managers ?? []).filter((m) => m && m !== PORTAL_FIELD_MANAGER);
  return others.length > 0 ? [...new Set(others)].join(", ") : "helm";
}

export async function createImportedRequest(actor: Pick<Actor, "id">, input: ImportedScaleSet) {
  const settings = await loadClusterSettings(input.clusterId);
  const team = await db.team.findUnique({ where: { id: input.teamId }, select: { id: true, name: true } });
  if (!team) throw notFoundError("That team does not exist.");
  if (input.spec.team !== team.name) {
    throw unprocessable(`The imported scale set must name its owning team "${team.name}" as its team.`, {
      team: [`Team must be "${team.name}", the team that will own it`],
    });
  }
  const approved: StoredSpec = { ...input.spec, githubApp: { appId: null, installationId: null, keyFingerprint: null } };
  const json = (v: unknown) => v as Prisma.InputJsonValue;
  const adoptFrom = adoptionMarker(input.adoptFrom);
  return db.$transaction(async (tx) => {
    const holder = await tx.labelClaim.findUnique({
      where: { clusterId_label: { clusterId: input.clusterId, label: input.spec.label } },
      select: { request: { select: { number: true } } },
    });
    if (holder) {
      throw conflict(`Request #${holder.request.number} already holds the label "${input.spec.label}" on this cluster.`, {
        label: ["This label is taken on this cluster"],
      });
    }
    const now = new Date();
    const request = await tx.runnerRequest.create({
      data: {
        status: "READY",
        teamId: team.id,
        requesterId: actor.id,
        clusterId: input.clusterId,
        label: input.spec.label,
        namespace: input.spec.namespace,
        spec: json(approved),
        approvedSpec: json(approved),
        approvedAt: now,
        submittedAt: now,
        ...(input.advanced ? { advanced: json(input.advanced) } : {}),
        // What the live scale set corresponds to; a later settings change waits for a re-apply.
        appliedSettings: json(settings),
        // Not the portal's yet: a reviewer's re-apply takes it over (lib/provision/run.ts).
        adoptFrom,
      },
    });
    await tx.labelClaim.create({ data: { clusterId: input.clusterId, label: input.spec.label, requestId: request.id } });
    const from = input.source === "cluster" ? "the cluster" : "an uploaded values file";
    await appendEvent(tx, {
      requestId: request.id,
      actorId: actor.id,
      type: "import",
      to: "READY",
      message:
        (input.unrepresented.length === 0
          ? `Imported from ${from}; the form represents all of it.`
          : `Imported from ${from}; ${input.unrepresented.length} thing(s) the form cannot represent are kept in the advanced overlay.`) +
        ` Its objects still belong to ${adoptFrom}; a reviewer's re-apply takes them over for the portal.`,
    });
    return request;
  });
}
