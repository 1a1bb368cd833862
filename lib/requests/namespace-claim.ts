import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict } from "@/lib/http-errors";

// A namespace on a cluster belongs to one team (NamespaceClaim): the manager Role a scale set
// brings lets the ARC controller read the namespace's Secrets, so two teams' scale sets in one
// namespace could read each other's GitHub App keys. Claimed at submission, checked again at
// approval (the reviewer may move or adjust the request), released when no request of the team
// there can run any more.

/** Statuses of a request that holds its namespace. */
const HOLDING = { notIn: ["DRAFT", "REJECTED", "DECOMMISSIONED"] as ("DRAFT" | "REJECTED" | "DECOMMISSIONED")[] };

/**
 * Claims the namespace for the team, or refuses (409) naming the team that owns it. `asFound`: a
 * scale set that already runs there (a live import) is recorded as it is, and the owner's name is
 * returned for the timeline instead: refusing would not undo the sharing, only keep it unmanaged.
 */
export async function claimNamespace(
  tx: Prisma.TransactionClient,
  claim: { clusterId: string; namespace: string; teamId: string },
  opts: { asFound?: boolean } = {},
): Promise<string | null> {
  // ON CONFLICT DO NOTHING: of two teams claiming at once, the second waits for the first's commit and then sees it.
  await tx.namespaceClaim.createMany({ data: [claim], skipDuplicates: true });
  const holder = await tx.namespaceClaim.findUniqueOrThrow({
    where: { clusterId_namespace: { clusterId: claim.clusterId, namespace: claim.namespace } },
    select: { teamId: true, team: { select: { name: true } } },
  });
  if (holder.teamId !== claim.teamId) {
    const owner = holder.team.name;
    if (opts.asFound) return owner;
    throw conflict(`Namespace "${claim.namespace}" on this cluster belongs to team ${owner}. Choose another namespace for your team's runners.`, {
      namespace: [`Namespace "${claim.namespace}" belongs to team ${owner} on this cluster; choose another`],
    });
  }
  return null;
}

/** Lets go of the team's claim when none of its requests on that cluster and namespace holds it any more. */
export async function releaseNamespaceIfUnused(tx: Prisma.TransactionClient, claim: { clusterId: string; namespace: string; teamId: string }) {
  const holding = await tx.runnerRequest.count({ where: { ...claim, status: HOLDING } });
  if (holding === 0) await tx.namespaceClaim.deleteMany({ where: claim });
}

/** Who owns the namespace, for the reviewer: null when nobody has claimed it yet. */
export async function namespaceOwner(tx: Prisma.TransactionClient, clusterId: string, namespace: string) {
  const claim = await tx.namespaceClaim.findUnique({
    where: { clusterId_namespace: { clusterId, namespace } },
    select: { teamId: true, createdAt: true, team: { select: { name: true } } },
  });
  return claim ? { teamId: claim.teamId, team: claim.team.name, since: claim.createdAt.toISOString() } : null;
}
