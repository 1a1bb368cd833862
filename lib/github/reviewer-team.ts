import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { userClient, type GitHubClientOptions } from "./client";
import { githubMessage, httpStatus } from "./errors";

// REVIEWER_TEAM (org/team-slug): active members of this GitHub team are reviewers.
// Checked at every sign-in with the person's own OAuth token (scope read:org).

export interface TeamRef {
  org: string;
  slug: string;
}

export function parseReviewerTeam(value: string): TeamRef {
  const [org, slug, ...rest] = value.trim().split("/");
  if (!org || !slug || rest.length > 0) throw new TypeError("REVIEWER_TEAM must be written org/team-slug");
  return { org, slug };
}

/**
 * Is `login` an active member of the team (REVIEWER_TEAM unless opts.team says)? False when
 * no team is configured, for non-members, pending invitations and teams the person cannot
 * see. Throws GitHubUnavailableError when GitHub cannot answer, so the caller can keep
 * the previous role instead of guessing.
 */
export async function isReviewerTeamMember(
  userToken: string,
  login: string,
  opts: GitHubClientOptions & { team?: string | TeamRef } = {},
): Promise<boolean> {
  const configured = opts.team ?? env().REVIEWER_TEAM;
  if (!configured) return false;
  const team = typeof configured === "string" ? parseReviewerTeam(configured) : configured;
  try {
    const { data } = await userClient(userToken, opts).rest.teams.getMembershipForUserInOrg({
      org: team.org,
      team_slug: team.slug,
      username: login,
    });
    return data.state === "active";
  } catch (e) {
    const status = httpStatus(e);
    // GitHub answers 404 both for "not a member" and "you cannot see this team".
    if (status === 404) return false;
    if (status !== undefined) {
      // Usually the organisation restricting OAuth App access: every sign-in would miss the team.
      log.warn("reviewer team check refused by GitHub", { team: `${team.org}/${team.slug}`, login, status, message: githubMessage(e) });
      return false;
    }
    throw e;
  }
}
