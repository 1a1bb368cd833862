import { roleFromLists } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import type { Role } from "@/lib/generated/prisma/enums";
import { log } from "@/lib/log";
import type { GitHubClientOptions } from "./client";
import { isGitHubUnavailable } from "./errors";
import { isReviewerTeamMember } from "./reviewer-team";

// The role a person gets at each sign-in: ADMIN_LOGINS, then REVIEWER_LOGINS or the
// REVIEWER_TEAM on GitHub, else REQUESTER. Recomputed every time, so leaving the
// team or a list takes effect at the next sign-in.

export interface SignInRoleInput {
  login: string;
  /** The OAuth token of this sign-in (account.access_token); null skips the team check. */
  userToken: string | null | undefined;
  /** The role stored before this sign-in: kept when GitHub cannot answer. */
  previousRole: Role;
}

export interface SignInRoleOptions extends GitHubClientOptions {
  admins?: string[];
  reviewers?: string[];
  /** org/team-slug; REVIEWER_TEAM by default. */
  reviewerTeam?: string;
}

export async function signInRole(input: SignInRoleInput, opts: SignInRoleOptions = {}): Promise<Role> {
  const admins = opts.admins ?? env().ADMIN_LOGINS;
  const reviewers = opts.reviewers ?? env().REVIEWER_LOGINS;
  const team = "reviewerTeam" in opts ? opts.reviewerTeam : env().REVIEWER_TEAM;

  const fromLists = roleFromLists(input.login, { admins, reviewers });
  if (fromLists !== "REQUESTER" || !team || !input.userToken) return fromLists;
  try {
    return (await isReviewerTeamMember(input.userToken, input.login, { ...opts, team })) ? "REVIEWER" : "REQUESTER";
  } catch (err) {
    // Keep what the team gave last time; ADMIN only ever comes from ADMIN_LOGINS.
    const kept: Role = input.previousRole === "REQUESTER" ? "REQUESTER" : "REVIEWER";
    const fields = { login: input.login, role: kept, reason: (err as Error)?.message };
    if (isGitHubUnavailable(err)) log.warn("GitHub unavailable at sign-in: keeping the previous role", fields);
    else log.error("reviewer team check failed at sign-in: keeping the previous role", fields);
    return kept;
  }
}
