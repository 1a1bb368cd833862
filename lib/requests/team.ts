import "server-only";
import type { Actor } from "@/lib/auth/actor";
import type { Prisma } from "@/lib/generated/prisma/client";
import { unprocessable } from "@/lib/http-errors";
import { appendTeamEvent } from "@/lib/teams/events";

export function teamSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
  return slug || "team";
}

/** Who can add the person: its members by login, at most five named. */
function whoCanAdd(logins: string[]): string {
  if (logins.length === 0) return "ask a portal admin to add you";
  if (logins.length === 1) return `ask its member @${logins[0]} to add you`;
  const named = logins.slice(0, 5).map((l) => `@${l}`);
  const more = logins.length - named.length;
  return `ask one of its members (${named.join(", ")}${more > 0 ? ` and ${more} more` : ""}) to add you`;
}

/**
 * The team a request is filed under. A new team name creates the team with
 * the requester as its first member; an existing team accepts requests only
 * from its members, so nobody can file under (and then read) another team.
 * Its members add people on the team's page (lib/teams/members.ts).
 */
export async function teamForRequest(tx: Prisma.TransactionClient, actor: Actor, name: string) {
  const slug = teamSlug(name);
  const existing = await tx.team.findUnique({
    where: { slug },
    include: { members: { select: { userId: true, user: { select: { login: true } } }, orderBy: { createdAt: "asc" } } },
  });
  if (!existing) {
    const team = await tx.team.create({ data: { slug, name, members: { create: { userId: actor.id } } } });
    await appendTeamEvent(tx, { teamId: team.id, actorId: actor.id, action: "TEAM_CREATED", targetLogin: actor.login });
    return team;
  }
  if (!existing.members.some((m) => m.userId === actor.id)) {
    const page = `/teams/${existing.id}`;
    const who = whoCanAdd(existing.members.map((m) => m.user.login));
    throw unprocessable(
      `Team name "${name}" belongs to an existing team you are not a member of: ${who} on its page (Teams, ${page}), or use your own team's name.`,
      { team: [`Team name "${existing.name}" is taken; ${who} on the team's page (${page}), or use your own team's name.`] },
    );
  }
  return existing;
}
