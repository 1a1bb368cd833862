import "server-only";
import { randomBytes } from "node:crypto";
import { db, queryRows } from "@/lib/db";
import { readCache } from "@/lib/db/read-cache";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { env } from "@/lib/env";
import type { RoleLists } from "@/lib/people/role-source";
import { configuredRoleLists } from "./role-lists";
import { effectiveRole } from "./roles";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "./session-cookie";

/** A database session of the same shape next-auth's adapter writes. */
export async function createSession(userId: string): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString("hex");
  const expires = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  await db.session.create({ data: { sessionToken: token, userId, expires } });
  return { token, expires };
}

export interface SessionPerson {
  id: string;
  login: string;
  name: string | null;
  role: Role;
  teamIds: string[];
}

type SessionRow = SessionPerson & { expiresMs: number; createdMs: number };

const sessionRows = readCache<SessionRow | null>("sessions", { tables: ["Session", "User", "TeamMembership"], maxEntries: 10_000, ttlMs: 60_000 });

/**
 * The person behind a session token, with their role and teams, in one statement: every API
 * call and page asks this, and next-auth's own lookup took four queries (session, user, then
 * the person and their teams again). The rules are next-auth's for database sessions
 * (core/routes/session.js): an expired session is deleted and means nobody; a session read
 * when less than maxAge − updateAge of it is left is extended to a full maxAge. Both writes
 * happen at most once a day per session. A deactivated person is nobody even if a session row
 * survived their deactivation (deactivatePerson deletes them, but a racing sign-in could write one).
 * The row is kept in a read cache (lib/db/read-cache.ts) until a session, person or membership
 * changes. A database error propagates (the gate answers 503).
 * Two rules of our own: a session ends SESSION_MAX_LIFETIME_HOURS after sign-in however often it
 * is used (roles from REVIEWER_TEAM are asked again at the next sign-in), and the role is
 * recomputed from the configured lists on every lookup (lib/auth/roles.ts effectiveRole), so a
 * login removed from ADMIN_LOGINS loses the role at the restart that applies it.
 */
export async function personForSession(token: string, lists: RoleLists = configuredRoleLists()): Promise<SessionPerson | null> {
  const row = await sessionRows.get(token, async () => {
    const rows = await queryRows<SessionRow>(Prisma.sql`
      SELECT u.id, u.login, u.name, u.role::text AS role, (extract(epoch FROM s.expires) * 1000)::float8 AS "expiresMs",
             (extract(epoch FROM s."createdAt") * 1000)::float8 AS "createdMs",
             array(SELECT m."teamId" FROM "TeamMembership" m WHERE m."userId" = u.id) AS "teamIds"
      FROM "Session" s JOIN "User" u ON u.id = s."userId"
      WHERE s."sessionToken" = ${token} AND u."deactivatedAt" IS NULL`);
    return rows[0] ?? null;
  });
  if (!row) return null;
  // timestamp(3) columns hold UTC, as Prisma writes them; the epoch is read in SQL so the process's time zone cannot matter.
  const expires = row.expiresMs;
  const now = Date.now();
  if (expires < now || row.createdMs + env().SESSION_MAX_LIFETIME_HOURS * 3_600_000 <= now) {
    await db.session.deleteMany({ where: { sessionToken: token } });
    return null;
  }
  if (expires - SESSION_MAX_AGE_SECONDS * 1000 + SESSION_UPDATE_AGE_SECONDS * 1000 <= now) {
    await db.session.updateMany({ where: { sessionToken: token }, data: { expires: new Date(now + SESSION_MAX_AGE_SECONDS * 1000) } });
  }
  return { id: row.id, login: row.login, name: row.name, role: effectiveRole(row.login, row.role, lists), teamIds: row.teamIds };
}
