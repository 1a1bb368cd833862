import { userClient, type GitHubClientOptions } from "./client";
import { githubMessage, httpStatus, isGitHubUnavailable } from "./errors";
import { ENTERPRISE_NOT_SUPPORTED, parseGitHubTarget } from "./target";

// May this person ask for runners on this organisation or repository? GitHub decides,
// through the person's own OAuth token: members of the organisation may, and for a
// repository its admins may. Anyone else is refused with the reason.

export interface StandingReport {
  /** unavailable: GitHub was down, unreachable or rate-limiting; nothing was decided. */
  status: "ok" | "refused" | "unavailable";
  ok: boolean;
  message: string;
  retryAfterSeconds?: number;
}

export interface StandingInput {
  /** The person's GitHub OAuth token (userGitHubToken); null when the portal has none. */
  userToken: string | null;
  login: string;
  githubConfigUrl: string;
}

const code = (s: string) => `\`${s}\``;
const ok = (message: string): StandingReport => ({ status: "ok", ok: true, message });
const refused = (message: string): StandingReport => ({ status: "refused", ok: false, message });

const SIGN_IN_AGAIN = "GitHub no longer accepts the portal's sign-in token for you. Sign out, sign in with GitHub again, and resubmit.";

export async function checkRequesterStanding(input: StandingInput, opts: GitHubClientOptions = {}): Promise<StandingReport> {
  const { login } = input;
  if (!input.userToken) {
    return refused("The portal has no GitHub sign-in token for you, so it cannot ask GitHub about your access. Sign in with GitHub and resubmit.");
  }
  const target = parseGitHubTarget(input.githubConfigUrl);
  if (target.kind === "enterprise") return refused(ENTERPRISE_NOT_SUPPORTED);
  const github = userClient(input.userToken, opts);

  try {
    if (target.kind === "org") {
      const { data } = await github.rest.orgs.getMembershipForAuthenticatedUser({ org: target.org });
      if (data.state === "active") return ok(`GitHub lists you (${code(login)}) as a member of ${code(target.org)}.`);
      return refused(`Your invitation to ${code(target.org)} is still pending on GitHub. Accept it, then resubmit.`);
    }
    const { data } = await github.rest.repos.getCollaboratorPermissionLevel({ owner: target.owner, repo: target.repo, username: login });
    if (data.permission === "admin") return ok(`GitHub lists you (${code(login)}) as an admin of ${code(target.display)}.`);
    const level = data.role_name || data.permission;
    return refused(
      `You (${code(login)}) have ${level && level !== "none" ? `${code(level)} access` : "no access"} to ${code(target.display)}, ` +
        `but runners for a repository can only be requested by its admins. Ask an admin of ${code(target.display)} to request them, or to make you an admin.`,
    );
  } catch (e) {
    if (isGitHubUnavailable(e)) {
      return {
        status: "unavailable",
        ok: false,
        message: `Could not check your access on GitHub: ${e.message}`,
        ...(e.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: e.retryAfterSeconds }),
      };
    }
    const status = httpStatus(e);
    if (status === 401) return refused(SIGN_IN_AGAIN);
    if (target.kind === "org") {
      if (status === 404) {
        return refused(
          `GitHub does not list you (${code(login)}) as a member of ${code(target.org)}. Only its members can request runners for it: ask an owner of ${code(target.org)} to add you, or use the URL of an organisation you belong to or a repository you administer.`,
        );
      }
      if (status === 403) {
        return refused(
          `GitHub would not show the portal your membership of ${code(target.org)} (${githubMessage(e)}). The organisation may restrict third-party access: ask an owner of ${code(target.org)} to approve the portal's OAuth App, then sign in again.`,
        );
      }
    } else {
      if (status === 404) {
        return refused(
          `GitHub shows you (${code(login)}) no repository ${code(target.display)}: check the URL. If it is private: the portal's GitHub sign-in does not ask for access to private repositories (the ${code("repo")} scope), so it cannot see it; ask the portal's operators.`,
        );
      }
      if (status === 403) {
        return refused(
          `GitHub would not tell the portal your permission on ${code(target.display)}, which it only does for people with write access or more. Runners for a repository can only be requested by its admins.`,
        );
      }
    }
    if (status !== undefined) return refused(`GitHub refused to answer (${status}: ${githubMessage(e)}).`);
    throw e;
  }
}
