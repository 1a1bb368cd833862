import "server-only";
import type { OverlayEntry, OverlayObject } from "@/lib/arc/overlay";
import type { ScaleSetSpec } from "@/lib/arc/scale-set-spec";
import type { Actor } from "@/lib/auth/actor";
import { appendEvent } from "@/lib/audit";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict, notFoundError, unprocessable } from "@/lib/http-errors";
import { notifyTransition } from "@/lib/notify/notify-transition";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import { loadClusterSettings } from "./cluster-settings";
import { FIELD_MANAGER } from "@/lib/provision/kube-objects";
import { findOrCreateTeam } from "./import-team";
import { claimNamespace } from "@/lib/requests/namespace-claim";

// An imported scale set that already runs becomes a READY request owned by the team the admin
// chose, with the imported spec as its approved version and the overlay as `advanced`. Nothing
// is applied: the scale set already runs; the portal first writes to it when a reviewer
// re-applies, and that first write is an explicit take-over from the objects' managers
// (adoptFrom; lib/provision/run.ts). The portal never has the GitHub App key of a running imported scale set: its
// Secret stays the one that exists on the cluster.
// A values file of a scale set that does not run yet becomes a SUBMITTED request instead: a
// reviewer (not the admin who imported it) approves it, and provisioning applies it with its
// overlay. Its key, when the file held one inline, is sealed like one typed into the form.

export type ImportedScaleSet = {
  clusterId: string;
  /** The owning team: an existing one by id, or by name (created when there is none). */
  teamId?: string;
  teamName?: string;
  /** Complete and validated (lib/arc/import-values.ts); its team is the chosen team's name. */
  spec: ScaleSetSpec;
  advanced?: OverlayObject;
  unrepresented: OverlayEntry[];
  source: "values-file" | "cluster";
  /** READY (default): it runs already. SUBMITTED: it does not run yet and waits for review. */
  status?: "READY" | "SUBMITTED";
  /** For SUBMITTED: the App the file named inline, with its key sealed. */
  githubApp?: { appId: string; installationId: string; sealedKey: string; keyFingerprint: string };
  /** A sentence for the timeline after the standard one. */
  note?: string;
  /**
   * The field managers that wrote the live objects (LiveImport.managers), which the first
   * re-apply takes the scale set over from. Default: helm, which installs from values files.
   */
  adoptFrom?: string[];
};

/** The adoptFrom marker of an imported request: its objects' managers other than the portal. */
function adoptionMarker(managers: string[] | undefined): string {
  const others = (managers ?? []).filter((m) => m && m !== FIELD_MANAGER);
  return others.length > 0 ? [...new Set(others)].join(", ") : "helm";
}

export async function createImportedRequest(actor: Pick<Actor, "id">, input: ImportedScaleSet) {
  const settings = await loadClusterSettings(input.clusterId);
  const status = input.status ?? "READY";
  const app = input.githubApp;
  const stored: StoredSpec = {
    ...input.spec,
    githubApp: app
      ? { appId: app.appId, installationId: app.installationId, keyFingerprint: app.keyFingerprint }
      : { appId: null, installationId: null, keyFingerprint: null },
  };
  const json = (v: unknown) => v as Prisma.InputJsonValue;
  try {
    const created = await db.$transaction(async (tx) => {
      const team = input.teamId
        ? await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true, name: true } })
        : input.teamName
          ? await findOrCreateTeam(tx, input.teamName)
          : null;
      if (!team) throw notFoundError("That team does not exist.");
      if (input.spec.team !== team.name) {
        throw unprocessable(`The imported scale set must name its owning team "${team.name}" as its team.`, {
          team: [`Team must be "${team.name}", the team that will own it`],
        });
      }
      const holder = await tx.labelClaim.findUnique({
        where: { clusterId_label: { clusterId: input.clusterId, label: input.spec.label } },
        select: { request: { select: { number: true } } },
      });
      if (holder) throw labelTaken(input.spec.label, holder.request.number);
      const now = new Date();
      const request = await tx.runnerRequest.create({
        data: {
          status,
          teamId: team.id,
          requesterId: actor.id,
          clusterId: input.clusterId,
          label: input.spec.label,
          namespace: input.spec.namespace,
          spec: json(stored),
          submittedAt: now,
          // The admin who imported it sent this version: another reviewer approves it.
          ...(status === "SUBMITTED" ? { submittedById: actor.id } : {}),
          ...(input.advanced ? { advanced: json(input.advanced) } : {}),
          ...(status === "READY"
            ? {
                approvedSpec: json(stored),
                approvedAt: now,
                // What the live scale set corresponds to; a later settings change waits for a re-apply.
                appliedSettings: json(settings),
                // Not the portal's yet: a reviewer's re-apply takes it over (lib/provision/run.ts).
                adoptFrom: adoptionMarker(input.adoptFrom),
              }
            : {}),
          ...(app && status === "SUBMITTED" ? { privateKeyCiphertext: app.sealedKey, privateKeyFingerprint: app.keyFingerprint } : {}),
        },
      });
      await tx.labelClaim.create({ data: { clusterId: input.clusterId, label: input.spec.label, requestId: request.id } });
      // A scale set that does not run yet is a new request like any other; one that runs is taken as found.
      const sharedWith = await claimNamespace(tx, { clusterId: input.clusterId, namespace: input.spec.namespace, teamId: team.id }, { asFound: status === "READY" });
      const from = input.source === "cluster" ? "the cluster" : "an uploaded values file";
      const kept =
        input.unrepresented.length === 0
          ? "the form represents all of it."
          : `${input.unrepresented.length} thing(s) the form cannot represent are kept in the advanced overlay.`;
      await appendEvent(tx, {
        requestId: request.id,
        actorId: actor.id,
        type: "import",
        to: status,
        message: [
          `Imported from ${from}; ${kept}`,
          status === "SUBMITTED"
            ? "It does not run yet: a reviewer decides, as for any new request."
            : `Its objects still belong to ${adoptionMarker(input.adoptFrom)}; a reviewer's re-apply takes them over for the portal.`,
          app && status === "SUBMITTED" ? `GitHub App key ${app.keyFingerprint}` : null,
          sharedWith ? `Namespace ${input.spec.namespace} belongs to team ${sharedWith}, whose scale sets run there too; it stays shared until one of them is replaced by a request for a namespace of its own.` : null,
          input.note ?? null,
        ]
          .filter(Boolean)
          .join("\n"),
      });
      return request;
    });
    if (status === "SUBMITTED") void notifyTransition(created.id, "SUBMITTED", actor.id, null);
    return created;
  } catch (err) {
    // Two imports of one label at the same instant: the database's unique claim decides.
    if ((err as { code?: string }).code === "P2002") throw labelTaken(input.spec.label);
    throw err;
  }
}

function labelTaken(label: string, number?: number) {
  return conflict(
    number === undefined
      ? `Another request already holds the label "${label}" on this cluster.`
      : `Request #${number} already holds the label "${label}" on this cluster.`,
    { label: ["This label is taken on this cluster"] },
  );
}
