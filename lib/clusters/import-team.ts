import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { teamSlug } from "@/lib/requests/team";

// The team that will own an imported scale set: an existing one, found by its name as the
// request form finds it (the slug), or a new one the admin names. A new team starts without
// members; its people join it as they do any team.

/** Existing teams, for the admin's suggestions. */
export async function teamsForImport(): Promise<{ name: string; slug: string }[]> {
  return db.team.findMany({ orderBy: { name: "asc" }, select: { name: true, slug: true }, take: 1000 });
}

/** The name the team is stored under when one with this name exists, else the name as typed. */
export async function ownerName(typed: string | undefined): Promise<{ name: string | undefined; exists: boolean }> {
  const name = typed?.trim();
  if (!name) return { name: undefined, exists: false };
  const existing = await db.team.findUnique({ where: { slug: teamSlug(name) }, select: { name: true } });
  return existing ? { name: existing.name, exists: true } : { name, exists: false };
}

/** Inside the import's transaction: the team with this name, created when there is none. */
export async function findOrCreateTeam(tx: Prisma.TransactionClient, name: string) {
  const slug = teamSlug(name);
  const existing = await tx.team.findUnique({ where: { slug }, select: { id: true, name: true } });
  return existing ?? tx.team.create({ data: { slug, name }, select: { id: true, name: true } });
}
