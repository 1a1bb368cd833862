import type { Role } from "@/lib/generated/prisma/enums";

export const ROLE_RANK: Record<Role, number> = { REQUESTER: 0, REVIEWER: 1, ADMIN: 2 };

/** Admins can do everything reviewers can. */
export function hasRole(actual: Role, needed: Role): boolean {
  return ROLE_RANK[actual] >= ROLE_RANK[needed];
}

/** The role a GitHub login gets at sign-in from the configured login lists. */
export function roleFromLists(login: string, lists: { admins: string[]; reviewers: string[] }): Role {
  const l = login.toLowerCase();
  if (lists.admins.includes(l)) return "ADMIN";
  if (lists.reviewers.includes(l)) return "REVIEWER";
  return "REQUESTER";
}

/**
 * The role a person has now: the login lists decide, on every session lookup. Outside them only
 * REVIEWER_TEAM grants a role, asked at sign-in, so a stored reviewer (or a former admin: ADMIN
 * only ever comes from ADMIN_LOGINS) keeps REVIEWER while a team is configured, until the
 * session's absolute lifetime sends them to sign in again.
 */
export function effectiveRole(login: string, stored: Role, lists: { admins: string[]; reviewers: string[]; reviewerTeam?: string }): Role {
  const fromLists = roleFromLists(login, lists);
  if (fromLists !== "REQUESTER") return fromLists;
  return stored !== "REQUESTER" && lists.reviewerTeam ? "REVIEWER" : "REQUESTER";
}
