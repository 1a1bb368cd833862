import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { findTeamByName, teamSlug } from "@/lib/requests/team";

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
  const existing = await findTeamByName(db, name);
  return existing ? { name: existing.name, exists: true } : { name, exists: false };
}

/** Inside the import's transaction: the team with this name, created when there is none. */
export async function findOrCreateTeam(tx: Prisma.TransactionClient, name: string) {
  const existing = await findTeamByName(tx, name);
  return existing ? { id: existing.id, name: existing.name } : tx.team.create({ data: { slug: teamSlug(name), name }, select: { id: true, name: true } });
}
