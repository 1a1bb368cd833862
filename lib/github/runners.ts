import {
  AppKeyError,
  appInstallationTokenProvider,
  installationClient,
  type GitHubClientOptions,
  type InstallationTokenSource,
} from "./client";
import { githubMessage, httpStatus, isGitHubUnavailable } from "./errors";
import { ENTERPRISE_NOT_SUPPORTED, parseGitHubTarget } from "./target";

// The runners GitHub reports for a scale set, shown next to the cluster-side status
// of a READY request. ARC registers every runner of a scale set with the scale set's
// name (the runs-on label) as a label, so that label picks them out.

export interface GitHubRunner {
  id: number;
  name: string;
  /** "online" or "offline", as GitHub reports it. */
  status: string;
  busy: boolean;
  labels: string[];
}

export type ScaleSetRunners =
  | { status: "ok"; runners: GitHubRunner[] }
  | { status: "failed"; message: string }
  | { status: "unavailable"; message: string; retryAfterSeconds?: number };

export interface ScaleSetRunnersInput {
  githubConfigUrl: string;
  /** The scale set's name, i.e. its runs-on label. */
  label: string;
  appId: string;
  installationId: string;
  /**
   * The App's key, if the caller still has it. After provisioning the portal deletes it
   * from its database; it then lives only in the scale set's Kubernetes Secret (key
   * github_app_private_key), so the caller reads it from there, or passes installationToken.
   */
  privateKey?: string;
  /** An installation token, or a function that returns one; used when privateKey is absent. */
  installationToken?: InstallationTokenSource;
}

const code = (s: string) => `\`${s}\``;

export async function listScaleSetRunners(input: ScaleSetRunnersInput, opts: GitHubClientOptions = {}): Promise<ScaleSetRunners> {
  const target = parseGitHubTarget(input.githubConfigUrl);
  if (target.kind === "enterprise") return { status: "failed", message: ENTERPRISE_NOT_SUPPORTED };
  const token: InstallationTokenSource | undefined = input.privateKey
    ? appInstallationTokenProvider({ appId: input.appId, installationId: input.installationId, privateKey: input.privateKey }, opts)
    : input.installationToken;
  if (!token) throw new TypeError("listScaleSetRunners needs privateKey or installationToken");

  const github = installationClient(token, opts);
  const wanted = input.label.toLowerCase();
  try {
    const all =
      target.kind === "org"
        ? await github.paginate(github.rest.actions.listSelfHostedRunnersForOrg, { org: target.org, per_page: 100 })
        : await github.paginate(github.rest.actions.listSelfHostedRunnersForRepo, { owner: target.owner, repo: target.repo, per_page: 100 });
    const runners = all
      .filter((r) => r.labels.some((l) => l.name.toLowerCase() === wanted))
      .map((r) => ({ id: r.id, name: r.name, status: r.status, busy: r.busy, labels: r.labels.map((l) => l.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { status: "ok", runners };
  } catch (e) {
    if (isGitHubUnavailable(e)) {
      return {
        status: "unavailable",
        message: `Could not ask GitHub for the runners: ${e.message}`,
        ...(e.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: e.retryAfterSeconds }),
      };
    }
    if (e instanceof AppKeyError) return { status: "failed", message: `The App's private key cannot be used: ${e.message}` };
    const status = httpStatus(e);
    if (status === 401) {
      return { status: "failed", message: "GitHub did not accept the installation's credentials: the App's key or installation may have changed since provisioning." };
    }
    if (status === 403) {
      return {
        status: "failed",
        message: `GitHub would not list the runners of ${code(target.display)} (${githubMessage(e)}): the installation may have lost the runner permission.`,
      };
    }
    if (status === 404) return { status: "failed", message: `GitHub does not show ${code(target.display)} to the installation: it may have been removed from it.` };
    if (status !== undefined) return { status: "failed", message: `GitHub refused to list the runners (${status}: ${githubMessage(e)}).` };
    throw e;
  }
}
