import type { Role } from "@/lib/generated/prisma/enums";

export interface RoleLists {
  admins: string[];
  reviewers: string[];
  /** org/team-slug, or undefined when not configured. */
  reviewerTeam?: string;
}

/**
 * Where a person's role comes from, in words. Roles are granted at each sign-in (lib/github/sign-in-role.ts):
 * ADMIN_LOGINS, then REVIEWER_LOGINS, then REVIEWER_TEAM on GitHub, else requester. When the stored role
 * and today's lists disagree, the lists changed since their last sign-in and the next one applies them.
 */
export function roleSource(login: string, role: Role, lists: RoleLists): string {
  const l = login.toLowerCase();
  if (lists.admins.includes(l)) return role === "ADMIN" ? "ADMIN_LOGINS" : "ADMIN_LOGINS (from their next sign-in)";
  if (lists.reviewers.includes(l)) return role === "REVIEWER" ? "REVIEWER_LOGINS" : "REVIEWER_LOGINS (from their next sign-in)";
  if (role === "ADMIN") return "no longer in ADMIN_LOGINS (until their next sign-in)";
  if (role === "REVIEWER") return lists.reviewerTeam ? `REVIEWER_TEAM ${lists.reviewerTeam} at their last sign-in` : "no longer a reviewer (until their next sign-in)";
  return "default (requester)";
}
