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
