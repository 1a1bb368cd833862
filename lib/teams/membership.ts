import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { allows } from "@/lib/auth/gate";
import type { Prisma } from "@/lib/generated/prisma/client";
import { forbiddenError, notFoundError } from "@/lib/http-errors";
import { isUrlId } from "@/lib/url-id";

// Who may see and change a team, next to the gate's roles (lib/auth/gate.ts):
// - its members manage it: teams are self-managing, as the first-filer rule
//   (lib/requests/team.ts) already implies, so nobody waits for an admin;
// - admins manage every team (someone must be able to repair a team whose
//   members all left the company);
// - reviewers see every team, as they see every request, but change none:
//   membership decides who reads a team's requests, which is not theirs to grant;
// - anyone else gets 404, exactly like another team's request.

export type TeamAccess = "manage" | "view";

const NOT_FOUND = "Team not found, or you are not one of its members.";
const MANAGE_REFUSED = "Only the team's members and portal admins can change who is in it; reviewers can see teams but not change them.";

/** What the person may do with the team, from the memberships read when the request came in. */
function teamAccess(actor: Actor, teamId: string): TeamAccess | null {
  if (actor.teamIds.includes(teamId) || allows(actor, "admin")) return "manage";
  if (allows(actor, "reviewer")) return "view";
  return null;
}

/** Ids come from URLs: anything that could not be one is simply not found, and never echoed back. */
export function requireTeamAccess(actor: Actor, teamId: string, need: TeamAccess): TeamAccess {
  if (!isUrlId(teamId)) throw notFoundError(NOT_FOUND);
  const access = teamAccess(actor, teamId);
  if (!access) throw notFoundError(NOT_FOUND);
  if (need === "manage" && access !== "manage") throw forbiddenError(MANAGE_REFUSED);
  return access;
}

export const teamNotFound = () => notFoundError(NOT_FOUND);

/**
 * Locks the team's row for a membership change and checks again, inside the
 * transaction, that the person may still manage it: changes to one team run
 * one after another, so two removals cannot both see "another member is left",
 * and someone removed a moment ago can no longer add people.
 */
export async function lockTeamForChange(tx: Prisma.TransactionClient, actor: Actor, teamId: string) {
  requireTeamAccess(actor, teamId, "manage");
  const [team] = await tx.$queryRaw<{ id: string; name: string }[]>`SELECT id, name FROM "Team" WHERE id = ${teamId} FOR UPDATE`;
  if (!team) throw teamNotFound();
  if (!allows(actor, "admin")) {
    const still = await tx.teamMembership.findUnique({ where: { teamId_userId: { teamId, userId: actor.id } }, select: { userId: true } });
    if (!still) throw allows(actor, "reviewer") ? forbiddenError(MANAGE_REFUSED) : teamNotFound();
  }
  return team;
}
