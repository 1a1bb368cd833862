import "server-only";
import { db } from "@/lib/db";
import { configuredRoleLists } from "@/lib/auth/role-lists";
import { effectiveRole } from "@/lib/auth/roles";
import type { Role } from "@/lib/generated/prisma/enums";
import { roleSource } from "./role-source";

/** A row of the People page, ready for a client component (dates as ISO strings). */
export interface PersonRow {
  id: string;
  login: string;
  name: string | null;
  role: Role;
  roleSource: string;
  /** ADMIN_LOGINS names them: deactivating them gets a warning. */
  inAdminLogins: boolean;
  teams: { id: string; name: string }[];
  /** The last sign-in when recorded, else when the person was created (their first sign-in). */
  seenAt: string;
  seenIsSignIn: boolean;
  requests: number;
  deactivatedAt: string | null;
}

export interface PersonHistoryEvent {
  id: string;
  action: "DEACTIVATED" | "REACTIVATED";
  actor: string | null;
  target: string;
  sessionsEnded: number | null;
  note: string | null;
  at: string;
}

export async function listPeople(): Promise<PersonRow[]> {
  const lists = configuredRoleLists();
  const users = await db.user.findMany({
    orderBy: { login: "asc" },
    select: {
      id: true,
      login: true,
      name: true,
      role: true,
      lastSignInAt: true,
      createdAt: true,
      deactivatedAt: true,
      memberships: { select: { team: { select: { id: true, name: true } } }, orderBy: { team: { name: "asc" } } },
      _count: { select: { requests: true } },
    },
  });
  return users.map((u) => ({
    id: u.id,
    login: u.login,
    name: u.name,
    role: effectiveRole(u.login, u.role, lists),
    roleSource: roleSource(u.login, u.role, lists),
    inAdminLogins: lists.admins.includes(u.login.toLowerCase()),
    teams: u.memberships.map((m) => m.team),
    seenAt: (u.lastSignInAt ?? u.createdAt).toISOString(),
    seenIsSignIn: u.lastSignInAt !== null,
    requests: u._count.requests,
    deactivatedAt: u.deactivatedAt?.toISOString() ?? null,
  }));
}

/** The newest deactivations and reactivations, from the append-only PersonEvent table. */
export async function peopleHistory(limit = 50): Promise<PersonHistoryEvent[]> {
  const events = await db.personEvent.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, action: true, sessionsEnded: true, note: true, createdAt: true, actor: { select: { login: true } }, user: { select: { login: true } } },
  });
  return events.map((e) => ({
    id: e.id,
    action: e.action,
    actor: e.actor?.login ?? null,
    target: e.user.login,
    sessionsEnded: e.sessionsEnded,
    note: e.note,
    at: e.createdAt.toISOString(),
  }));
}
