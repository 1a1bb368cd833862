import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { checkCredentials, type CredentialReport } from "@/lib/github/credential-check";
import { checkRequesterStanding, type StandingReport } from "@/lib/github/requester-standing";
import { userGitHubToken } from "@/lib/github/user-token";
import { unprocessable, type FieldErrors } from "@/lib/http-errors";
import type { ClusterAppKey } from "./cluster-app-key";

// Most ARC failures start on the GitHub side; the portal asks GitHub before
// anyone reviews a request. A failed check refuses the submission; GitHub
// being down or rate-limited only warns, and the check is shown to the reviewer.

export type Standing = StandingReport | { status: "skipped"; ok: true; message: string };

export interface GitHubCheck {
  credentials: CredentialReport | null;
  standing: Standing;
  checkedAt: string;
}

const STEP_FIELD: Record<string, string> = {
  app: "githubApp.appId",
  installation: "githubApp.installationId",
  permissions: "githubApp.installationId",
  token: "githubApp.privateKey",
};

/**
 * Asks GitHub about the request's App credentials and about the requester's standing. The
 * private key (from the form, the sealed copy or the cluster Secret) is used for this call only.
 * Without one, `keyFromCluster` supplies it if a private repository needs it.
 */
export async function runGitHubCheck(
  requester: Pick<Actor, "id" | "login">,
  input: { appId: string | null; installationId: string | null; githubConfigUrl: string },
  privateKey: string | null,
  keyFromCluster?: () => Promise<ClusterAppKey>,
): Promise<GitHubCheck> {
  const token = await userGitHubToken(requester.id);
  const ids = input.appId && input.installationId ? { appId: input.appId, installationId: input.installationId } : null;
  const installation =
    ids && privateKey
      ? { ...ids, privateKey }
      : ids && keyFromCluster
        ? async () => {
            const key = await keyFromCluster();
            return key.status === "ok" ? { ...ids, privateKey: key.privateKey } : { unavailable: key.message };
          }
        : null;
  const [credentials, standing] = await Promise.all([
    ids && privateKey ? checkCredentials({ ...ids, privateKey, githubConfigUrl: input.githubConfigUrl }) : Promise.resolve(null),
    token
      ? checkRequesterStanding({ userToken: token, login: requester.login, githubConfigUrl: input.githubConfigUrl, installation })
      : Promise.resolve<Standing>({ status: "skipped", ok: true, message: "Not checked: you signed in without GitHub (demo sign-in)." }),
  ]);
  return { credentials, standing, checkedAt: new Date().toISOString() };
}

/** The timeline's line for a check asked again: what GitHub said this time. */
export function recheckOutcome(check: GitHubCheck): string {
  const failed = check.credentials?.status === "failed" ? check.credentials.steps.find((s) => !s.ok && !s.skipped) : undefined;
  const problems = [failed?.message, check.standing.status === "refused" ? check.standing.message : null].filter(Boolean);
  if (problems.length) return `GitHub says this request cannot work yet: ${problems.join(" ")}`;
  return checkWarning(check) ?? (check.credentials ? "GitHub answered: the App's credentials and the requester's access check out." : "GitHub answered: the requester's access checks out (no App credentials to check).");
}

/** Refuses a submission that GitHub says cannot work, naming the fields to fix. */
export function refuseIfFailed(check: GitHubCheck): void {
  const fields: FieldErrors = {};
  const failed = check.credentials?.status === "failed" ? check.credentials.steps.find((s) => !s.ok && !s.skipped) : undefined;
  if (failed) (fields[STEP_FIELD[failed.step] ?? "githubApp"] ??= []).push(failed.message);
  if (check.standing.status === "refused") (fields.githubConfigUrl ??= []).push(check.standing.message);
  if (Object.keys(fields).length) throw unprocessable("GitHub says this request cannot work yet.", fields);
}

const unavailableParts = (check: GitHubCheck) => [check.credentials, check.standing].filter((r) => r?.status === "unavailable") as { message?: string }[];

/** Whether part of the check could not be asked: the page then offers to check again. */
export const checkIncomplete = (check: GitHubCheck | null) => !!check && unavailableParts(check).length > 0;

export const CHECK_AGAIN_WARNING = "GitHub could not be reached to check this request; a reviewer should check again before approving.";

/** One line for the timeline when GitHub could not be asked. */
export function checkWarning(check: GitHubCheck): string | null {
  const parts = unavailableParts(check);
  if (parts.length === 0) return null;
  return `${CHECK_AGAIN_WARNING} (${parts
    .map((p) => p.message ?? "unavailable")
    .join("; ")})`;
}
