import "server-only";
import type { Actor } from "@/lib/auth/actor";
import type { Prisma } from "@/lib/generated/prisma/client";
import { unprocessable } from "@/lib/http-errors";

export function teamSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
  return slug || "team";
}

/**
 * The team a request is filed under. A new team name creates the team with
 * the requester as its first member; an existing team accepts requests only
 * from its members, so nobody can file under (and then read) another team.
 */
export async function teamForRequest(tx: Prisma.TransactionClient, actor: Actor, name: string) {
  const slug = teamSlug(name);
  const existing = await tx.team.findUnique({ where: { slug }, include: { members: { select: { userId: true } } } });
  if (!existing) {
    return tx.team.create({ data: { slug, name, members: { create: { userId: actor.id } } } });
  }
  if (!existing.members.some((m) => m.userId === actor.id)) {
    throw unprocessable(`Team name "${name}" belongs to an existing team you are not a member of.`, {
      team: [`Team name "${existing.name}" is taken; ask one of its members to add you, or use your own team's name.`],
    });
  }
  return existing;
}
