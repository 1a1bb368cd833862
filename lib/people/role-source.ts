import type { Role } from "@/lib/generated/prisma/enums";

export interface RoleLists {
  admins: string[];
  reviewers: string[];
  /** org/team-slug, or undefined when not configured. */
  reviewerTeam?: string;
}

/**
 * Where a person's role comes from, in words. The lists decide on every session lookup (lib/auth/roles.ts
 * effectiveRole): ADMIN_LOGINS, then REVIEWER_LOGINS; outside them only REVIEWER_TEAM, asked at sign-in.
 */
export function roleSource(login: string, role: Role, lists: RoleLists): string {
  const l = login.toLowerCase();
  if (lists.admins.includes(l)) return "ADMIN_LOGINS";
  if (lists.reviewers.includes(l)) return "REVIEWER_LOGINS";
  if (role !== "REQUESTER") {
    return lists.reviewerTeam ? `REVIEWER_TEAM ${lists.reviewerTeam} at their last sign-in` : "no longer in ADMIN_LOGINS or REVIEWER_LOGINS: requester now";
  }
  return "default (requester)";
}
