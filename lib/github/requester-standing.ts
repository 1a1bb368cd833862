import type { Octokit } from "@octokit/rest";
import { AppKeyError, userClient, withInstallationToken, type GitHubClientOptions, type InstallationCredentials } from "./client";
import { githubMessage, httpStatus, isGitHubUnavailable, type GitHubUnavailableError } from "./errors";
import { ENTERPRISE_NOT_SUPPORTED, parseGitHubTarget, type GitHubTarget } from "./target";

// May this person ask for runners on this organisation or repository? GitHub decides.
// Organisations and public repositories: through the person's own OAuth token; members
// of the organisation may, and for a public repository its admins may. Private
// repositories: the sign-in does not ask for the `repo` scope (full access to all of a
// person's private code), so the token cannot see them; they are asked through the
// App installation the request names, which must cover the repository anyway for ARC,
// and the person needs write access or more (PRIVATE_MINIMUM). Anyone else is refused
// with the reason.

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
  /**
   * The App installation the request names, with its key (held in memory for this call
   * only); needed for private repositories. A function fetches it only when one is met
   * (e.g. from the cluster Secret), or says why it cannot.
   */
  installation?: InstallationCredentials | (() => Promise<InstallationCredentials | { unavailable: string }>) | null;
}

/**
 * The least a person needs on a private repository. Write, not admin: a writer can
 * already push the workflows that run on the repository's runners, and the admin's
 * consent is the App installation itself (its key comes with the request); an OSSCI
 * reviewer approves every request on top.
 */
export const PRIVATE_MINIMUM = "write";
const RANK: Record<string, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

const code = (s: string) => `\`${s}\``;
const ok = (message: string): StandingReport => ({ status: "ok", ok: true, message });
const refused = (message: string): StandingReport => ({ status: "refused", ok: false, message });

const unavailable = (e: GitHubUnavailableError): StandingReport => ({
  status: "unavailable",
  ok: false,
  message: `Could not check your access on GitHub: ${e.message}`,
  ...(e.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: e.retryAfterSeconds }),
});

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
    const visible = await github.rest.repos.get({ owner: target.owner, repo: target.repo }).then(
      ({ data }) => !data.private,
      (e: unknown) => {
        if (httpStatus(e) === 404) return false;
        throw e;
      },
    );
    if (!visible) return privateStanding(input, target, opts);
    const { data } = await github.rest.repos.getCollaboratorPermissionLevel({ owner: target.owner, repo: target.repo, username: login });
    if (data.permission === "admin") return ok(`GitHub lists you (${code(login)}) as an admin of ${code(target.display)}.`);
    const level = data.role_name || data.permission;
    return refused(
      `You (${code(login)}) have ${level && level !== "none" ? `${code(level)} access` : "no access"} to ${code(target.display)}, ` +
        `but runners for a repository can only be requested by its admins. Ask an admin of ${code(target.display)} to request them, or to make you an admin.`,
    );
  } catch (e) {
    if (isGitHubUnavailable(e)) return unavailable(e);
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

type RepoTarget = Extract<GitHubTarget, { kind: "repo" }>;
type Permission = Awaited<ReturnType<Octokit["rest"]["repos"]["getCollaboratorPermissionLevel"]>>["data"];

/** The person's role by name, ranked as its base role (a custom role ranks as the base permission GitHub maps it to). */
function roleOf(data: Permission): { name: string; rank: number } {
  const base = data.role_name in RANK ? data.role_name : data.permission;
  return { name: data.role_name || base, rank: RANK[base] ?? 0 };
}

class NotCovered extends Error {}

async function privateStanding(input: StandingInput, target: RepoTarget, opts: GitHubClientOptions): Promise<StandingReport> {
  const { login } = input;
  const repo = code(target.display);
  const installation = typeof input.installation === "function" ? await input.installation() : input.installation;
  if (installation && "unavailable" in installation) {
    return { status: "unavailable", ok: false, message: `Could not check your access to ${repo} through the App's installation: ${installation.unavailable}` };
  }
  if (!installation) {
    return refused(
      `GitHub shows you (${code(login)}) no repository ${repo}: check the URL. If it is private, the portal checks your access through the team's GitHub App installation: give the App ID, the installation ID and the private key, then check again.`,
    );
  }
  let minted = false;
  try {
    // A token that can only read metadata: enough to see the repository and the person's role.
    const data = await withInstallationToken(
      installation,
      { permissions: { metadata: "read" } },
      async (github) => {
        minted = true;
        await github.rest.repos.get({ owner: target.owner, repo: target.repo }).catch((e: unknown) => {
          throw httpStatus(e) === 404 ? new NotCovered() : e;
        });
        return github.rest.repos.getCollaboratorPermissionLevel({ owner: target.owner, repo: target.repo, username: login }).then(
          (r) => r.data,
          (e: unknown) => {
            if (httpStatus(e) === 404) return null;
            throw e;
          },
        );
      },
      opts,
    );
    if (!data) return refused(`GitHub knows no user @${login} any more (renamed?). Sign out, sign in with GitHub again, and resubmit.`);
    const role = roleOf(data);
    if (role.rank >= RANK[PRIVATE_MINIMUM]!) {
      return ok(`GitHub says @${login} has ${code(role.name)} access to the private repository ${repo} (asked through installation ${installation.installationId}).`);
    }
    const has = role.rank > 0 ? `only ${role.name} access` : "no access";
    return refused(
      `GitHub says @${login} has ${has} to ${repo}. Runners for a private repository can be requested by people with ${PRIVATE_MINIMUM} access or more: ask an admin of ${repo} to give you ${PRIVATE_MINIMUM} access, or to request the runners.`,
    );
  } catch (e) {
    if (e instanceof NotCovered) {
      return refused(
        `GitHub says the App's installation does not cover ${repo}, so the portal cannot see the repository or your access to it. Add ${code(target.repo)} under the installation's “Repository access”, or check the URL.`,
      );
    }
    if (isGitHubUnavailable(e)) return unavailable(e);
    const status = httpStatus(e);
    if (!minted && (e instanceof AppKeyError || status !== undefined)) {
      const why = e instanceof AppKeyError ? e.message : `${status}: ${githubMessage(e)}`;
      return refused(
        `Could not check your access to ${repo}: GitHub does not show it to the portal's sign-in, so it is checked through the App's installation, and GitHub did not give the portal a token for it (${why}). Fix the App's credentials, then check again.`,
      );
    }
    if (status !== undefined) {
      return refused(`GitHub would not show the App's installation your access to ${repo} (${status}: ${githubMessage(e)}).`);
    }
    throw e;
  }
}
