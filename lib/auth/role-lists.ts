import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Role } from "@/lib/generated/prisma/enums";
import { log } from "@/lib/log";
import type { RoleLists } from "@/lib/people/role-source";
import { DEMO_USERS } from "./demo-users";
import { effectiveRole, ROLE_RANK } from "./roles";

/** ADMIN_LOGINS, REVIEWER_LOGINS and REVIEWER_TEAM; with demo sign-in, the seeded demo people's roles too. */
export function configuredRoleLists(): RoleLists {
  const e = env();
  const demo = (role: Role) => (e.DEMO_SIGN_IN ? DEMO_USERS.filter((u) => u.role === role).map((u) => u.login) : []);
  return {
    admins: [...e.ADMIN_LOGINS, ...demo("ADMIN")],
    reviewers: [...e.REVIEWER_LOGINS, ...demo("REVIEWER")],
    reviewerTeam: e.REVIEWER_TEAM || undefined,
  };
}

/**
 * At start-up: stored roles the configuration no longer grants are lowered, so pages that read
 * the stored role (People, a team's reviewers) agree with what every session lookup computes.
 */
export async function lowerStaleRoles(lists: RoleLists = configuredRoleLists()): Promise<{ login: string; from: Role; to: Role }[]> {
  const staff = await db.user.findMany({ where: { role: { in: ["REVIEWER", "ADMIN"] } }, select: { id: true, login: true, role: true } });
  const lowered = staff
    .map((u) => ({ ...u, to: effectiveRole(u.login, u.role, lists) }))
    .filter((u) => ROLE_RANK[u.to] < ROLE_RANK[u.role]);
  for (const u of lowered) {
    // Only if the role is still the one read: a sign-in meanwhile has written the current one.
    await db.user.updateMany({ where: { id: u.id, role: u.role }, data: { role: u.to } });
    log.info("role lowered at start-up: the configured lists no longer grant it", { login: u.login, from: u.role, to: u.to });
  }
  return lowered.map((u) => ({ login: u.login, from: u.role, to: u.to }));
}
