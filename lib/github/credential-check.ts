import type { Octokit } from "@octokit/rest";
import { log } from "@/lib/log";
import { AppKeyError, appClient, installationClient, installationIdNumber, type GitHubClientOptions } from "./client";
import { githubMessage, httpStatus, isGitHubUnavailable } from "./errors";
import { ENTERPRISE_NOT_SUPPORTED, parseGitHubTarget, targetOwner, type GitHubTarget } from "./target";

// The four checks of a request's GitHub App credentials, run on submit and again
// before provisioning, so that the mistakes behind most ARC failures (wrong App ID,
// installation not covering the repository, missing runner permission) show up
// on the form instead of in a crash-looping listener.

export type CredentialStepName = "app" | "installation" | "permissions" | "token";

export interface CredentialStep {
  step: CredentialStepName;
  ok: boolean;
  /** True when an earlier step failed and this one was not run. */
  skipped: boolean;
  /** Plain words a person can act on. */
  message: string;
}

export interface CredentialReport {
  /** unavailable: GitHub was down, unreachable or rate-limiting; the credentials may be fine. */
  status: "ok" | "failed" | "unavailable";
  steps: CredentialStep[];
  /** Set when status is unavailable and GitHub said (or implied) how long to wait. */
  retryAfterSeconds?: number;
  checkedAt: string;
}

export interface CredentialCheckInput {
  appId: string;
  installationId: string;
  privateKey: string;
  githubConfigUrl: string;
}

const STEPS: CredentialStepName[] = ["app", "installation", "permissions", "token"];
const NOT_RUN = "Not checked: an earlier step failed.";

/** A step's outcome: failing stops the check. */
class StepFailed extends Error {}

type Installation = Awaited<ReturnType<Octokit["rest"]["apps"]["getInstallation"]>>["data"];

const code = (s: string) => `\`${s}\``;
const sameLogin = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

export async function checkCredentials(input: CredentialCheckInput, opts: GitHubClientOptions = {}): Promise<CredentialReport> {
  const done: CredentialStep[] = [];
  const pass = (step: CredentialStepName, message: string) => done.push({ step, ok: true, skipped: false, message });
  const report = (status: CredentialReport["status"], extra: Partial<CredentialReport> = {}): CredentialReport => ({
    status,
    steps: [
      ...done,
      ...STEPS.slice(done.length).map((step) => ({ step, ok: false, skipped: true, message: NOT_RUN })),
    ],
    ...extra,
    checkedAt: new Date().toISOString(),
  });
  const fail = (step: CredentialStepName, message: string) => {
    done.push({ step, ok: false, skipped: false, message });
    return new StepFailed(message);
  };

  let current: CredentialStepName = "app";
  try {
    let app: Octokit;
    try {
      app = appClient(input, opts);
    } catch (e) {
      if (e instanceof AppKeyError) throw fail("app", `The private key cannot be used: ${e.message}`);
      throw e;
    }
    pass("app", await readApp(app, input.appId, fail));

    current = "installation";
    let target: GitHubTarget;
    let installationId: number;
    try {
      target = parseGitHubTarget(input.githubConfigUrl);
      installationId = installationIdNumber(input.installationId);
    } catch (e) {
      throw fail("installation", (e as Error).message);
    }
    const installation = await readInstallation(app, installationId, target, fail);
    pass("installation", installation.message);

    current = "permissions";
    pass("permissions", checkPermissions(installation.data, target, installationId, fail));

    current = "token";
    const { data: token } = await app.rest.apps
      .createInstallationAccessToken({ installation_id: installationId })
      .catch((e: unknown) => {
        if (isGitHubUnavailable(e) || httpStatus(e) === undefined) throw e;
        throw fail("token", `GitHub refused to create an installation token (${httpStatus(e)}: ${githubMessage(e)}).`);
      });
    // The check only needed to know a token can be made; it is not kept.
    await installationClient(token.token, opts)
      .rest.apps.revokeInstallationAccessToken()
      .catch(() => undefined);
    pass("token", "Created an installation token: the portal can act as this installation.");
    return report("ok");
  } catch (e) {
    if (e instanceof StepFailed) return report("failed");
    if (isGitHubUnavailable(e)) {
      done.push({ step: current, ok: false, skipped: false, message: e.message });
      return report("unavailable", e.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: e.retryAfterSeconds });
    }
    log.error("credential check failed unexpectedly", { step: current, error: (e as Error)?.message });
    throw e;
  }
}

async function readApp(app: Octokit, appId: string, fail: (s: CredentialStepName, m: string) => StepFailed): Promise<string> {
  try {
    const { data } = await app.rest.apps.getAuthenticated();
    const name = data?.name ?? data?.slug ?? "the App";
    return `Signed in as the GitHub App “${name}” (App ID ${data?.id ?? appId}).`;
  } catch (e) {
    const status = httpStatus(e);
    if (status === 404) {
      throw fail(
        "app",
        `GitHub has no App with the ID ${code(appId)}. Copy the App ID (or Client ID) from the App's settings page (Settings → Developer settings → GitHub Apps → your App).`,
      );
    }
    if (status === 401) {
      if (/'(Issued at|Expiration time)'/.test(githubMessage(e))) {
        throw fail("app", "GitHub rejected the App's token because of its time stamps: the portal's clock may be wrong. Tell the portal's operators.");
      }
      throw fail(
        "app",
        `GitHub did not accept the App's signature: this private key does not belong to App ${code(appId)}, or it was deleted. Generate a private key on the App's settings page and paste the downloaded .pem file.`,
      );
    }
    if (status !== undefined) throw fail("app", `GitHub refused to show the App (${status}: ${githubMessage(e)}).`);
    throw e;
  }
}

/** The installation this App has on the target's account, or null if none (404). */
async function installationFor(app: Octokit, target: Exclude<GitHubTarget, { kind: "enterprise" }>): Promise<number | null> {
  try {
    const { data } =
      target.kind === "org"
        ? await app.rest.apps.getOrgInstallation({ org: target.org })
        : await app.rest.apps.getRepoInstallation({ owner: target.owner, repo: target.repo });
    return data.id;
  } catch (e) {
    if (httpStatus(e) === 404) return null;
    throw e;
  }
}

async function readInstallation(
  app: Octokit,
  installationId: number,
  target: GitHubTarget,
  fail: (s: CredentialStepName, m: string) => StepFailed,
): Promise<{ data: Installation; message: string }> {
  if (target.kind === "enterprise") throw fail("installation", ENTERPRISE_NOT_SUPPORTED);
  let data: Installation;
  try {
    ({ data } = await app.rest.apps.getInstallation({ installation_id: installationId }));
  } catch (e) {
    if (httpStatus(e) === 404) {
      const other = await installationFor(app, target);
      throw fail(
        "installation",
        `This App has no installation with the ID ${installationId}.` +
          (other
            ? ` Its installation on ${code(target.display)} has the ID ${other}: use that.`
            : ` Install the App on ${code(targetOwner(target))}, then copy the number at the end of the installation's settings URL (…/settings/installations/ID).`),
      );
    }
    if (httpStatus(e) !== undefined) throw fail("installation", `GitHub refused to show installation ${installationId} (${httpStatus(e)}: ${githubMessage(e)}).`);
    throw e;
  }

  const owner = targetOwner(target);
  const account = data.account && "login" in data.account ? data.account.login : data.account?.slug;
  if (!sameLogin(account, owner)) {
    const other = await installationFor(app, target);
    throw fail(
      "installation",
      `Installation ${installationId} is on ${code(account ?? "another account")}, not on ${code(owner)}.` +
        (other
          ? ` This App's installation on ${code(target.display)} has the ID ${other}: use that, or change the URL.`
          : ` Install the App on ${code(owner)}, or change the URL.`),
    );
  }
  if (data.suspended_at) {
    throw fail("installation", `Installation ${installationId} on ${code(owner)} is suspended. An owner of ${code(owner)} must unsuspend it in the installation's settings.`);
  }
  if (target.kind === "org") {
    if (data.target_type !== "Organization") {
      throw fail(
        "installation",
        `${code(owner)} is a personal account, not an organisation: runners can only be registered for its repositories. Use a repository URL such as https://…/${owner}/your-repo.`,
      );
    }
    return { data, message: `Installation ${installationId} is on the organisation ${code(owner)}.` };
  }

  const covering = await installationFor(app, target);
  if (covering !== installationId) {
    const hint =
      data.repository_selection === "selected"
        ? ` It has access to selected repositories only: add ${code(target.repo)} under the installation's “Repository access”, or change the URL.`
        : ` Check that the repository ${code(target.display)} exists, or change the URL.`;
    throw fail("installation", `This installation is not installed on ${code(target.display)}; install the App there or change the URL.${hint}`);
  }
  return {
    data,
    message: `Installation ${installationId} covers ${code(target.display)}${data.repository_selection === "all" ? " (all repositories of the account)" : ""}.`,
  };
}

const NEEDED = {
  org: {
    key: "organization_self_hosted_runners",
    words: "“Self-hosted runners: Read and write”",
    where: "Organization permissions → Self-hosted runners",
    why: "register runners for the organisation",
  },
  repo: {
    key: "administration",
    words: "“Administration: Read and write”",
    where: "Repository permissions → Administration",
    why: "register runners for the repository",
  },
} as const;

function checkPermissions(
  data: Installation,
  target: GitHubTarget,
  installationId: number,
  fail: (s: CredentialStepName, m: string) => StepFailed,
): string {
  if (target.kind === "enterprise") throw fail("permissions", ENTERPRISE_NOT_SUPPORTED);
  const need = NEEDED[target.kind];
  const granted = (data.permissions as Record<string, string | undefined>)[need.key];
  if (granted === "write" || granted === "admin") return `Installation ${installationId} has ${need.words}, which ARC needs to ${need.why}.`;
  const has = granted === "read" ? "only read access" : "no access";
  throw fail(
    "permissions",
    `Installation ${installationId} has ${has} where ARC needs ${need.words} to ${need.why} ${code(target.display)}. ` +
      `Grant it in the App's settings (Permissions → ${need.where}), then have an owner of ${code(targetOwner(target))} accept the new permissions on the installation.`,
  );
}
