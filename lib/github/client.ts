import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { privateKeyProblem } from "@/lib/crypto/private-key";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { toGitHubError } from "./errors";

// Octokit clients for the three ways the portal talks to GitHub: as the App (JWT),
// as one of its installations (installation token), and as the signed-in person
// (their OAuth token). All use the configured API URL, so GitHub Enterprise Server
// works, time out instead of hanging, and never retry on their own: @octokit/rest
// has no retry or throttling plugin, and rate limits surface as GitHubRateLimitedError.

export interface GitHubClientOptions {
  /** REST API base URL; GITHUB_API_URL by default. Tests point it at the local GitHub server. */
  apiUrl?: string;
  /** Per-request timeout; 10 s by default. */
  timeoutMs?: number;
}

export interface AppCredentials {
  /** The App's numeric ID ("123456") or its Client ID ("Iv23li…"); both work as the JWT issuer. */
  appId: string;
  privateKey: string;
}

export interface InstallationCredentials extends AppCredentials {
  installationId: string;
}

/** An installation token, or something that produces one (e.g. from the cluster Secret's key). */
export type InstallationTokenSource = string | (() => Promise<string>);

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Thrown before any request when the key cannot sign a JWT. The message never contains the key. */
export class AppKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AppKeyError";
  }
}

// Failed requests are expected (a missing installation is a 404) and reported by the
// callers in plain words, so Octokit's own request log goes to debug.
const octokitLog = {
  debug: () => undefined,
  info: (msg: string) => log.debug("github request", { msg }),
  warn: (msg: string) => log.warn("github", { msg }),
  error: (msg: string) => log.debug("github request failed", { msg }),
};

function timeoutFetch(timeoutMs: number): typeof fetch {
  // A fresh signal per request: one created with the client would expire for all of them.
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
}

function settings(opts: GitHubClientOptions) {
  const apiUrl = (opts.apiUrl ?? env().GITHUB_API_URL).replace(/\/+$/, "");
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    apiUrl,
    timeoutMs,
    octokit: { baseUrl: apiUrl, userAgent: "arc-runner-portal", log: octokitLog, request: { fetch: timeoutFetch(timeoutMs) } },
  };
}

function withTypedErrors(octokit: Octokit, ctx: { apiUrl: string; timeoutMs: number }): Octokit {
  octokit.hook.error("request", (error) => {
    throw toGitHubError(error, ctx);
  });
  return octokit;
}

/** The JWT issuer: a number for App IDs (GitHub's classic rule), the string for Client IDs. */
export function jwtIssuer(appId: string): number | string {
  const id = appId.trim();
  return /^\d+$/.test(id) ? Number(id) : id;
}

/** Authenticates as the App itself (RS256 JWT, minted by @octokit/auth-app), for the /app routes. */
export function appClient(app: AppCredentials, opts: GitHubClientOptions = {}): Octokit {
  const problem = privateKeyProblem(app.privateKey);
  if (problem) throw new AppKeyError(problem);
  const s = settings(opts);
  const octokit = new Octokit({
    ...s.octokit,
    authStrategy: createAppAuth,
    auth: { appId: jwtIssuer(app.appId), privateKey: app.privateKey },
  });
  return withTypedErrors(octokit, s);
}

export interface InstallationToken {
  token: string;
  expiresAt: Date;
  permissions: Record<string, string | undefined>;
  repositorySelection: "all" | "selected" | undefined;
}

/** Limits a new installation token to fewer permissions than the installation has. */
export interface TokenNarrowing {
  permissions?: { metadata?: "read" };
}

/** POST /app/installations/{id}/access_tokens: a one-hour token for the installation. */
export async function createInstallationToken(
  creds: InstallationCredentials,
  opts: GitHubClientOptions = {},
  narrow: TokenNarrowing = {},
): Promise<InstallationToken> {
  const { data } = await appClient(creds, opts).rest.apps.createInstallationAccessToken({
    installation_id: installationIdNumber(creds.installationId),
    ...narrow,
  });
  return {
    token: data.token,
    expiresAt: new Date(data.expires_at),
    permissions: { ...data.permissions },
    repositorySelection: data.repository_selection,
  };
}

export function installationIdNumber(installationId: string): number {
  const n = Number(installationId);
  if (!Number.isSafeInteger(n) || n <= 0) throw new TypeError("installationId must be a positive whole number");
  return n;
}

// Reuse a token until shortly before it expires, so a page refresh does not mint a new one.
const TOKEN_REUSE_MARGIN_MS = 5 * 60 * 1000;

/** A token provider for installationClient that mints tokens with the App's key and reuses them. */
export function appInstallationTokenProvider(
  creds: InstallationCredentials,
  opts: GitHubClientOptions = {},
): () => Promise<string> {
  let current: InstallationToken | undefined;
  return async () => {
    if (!current || current.expiresAt.getTime() - Date.now() < TOKEN_REUSE_MARGIN_MS) {
      current = await createInstallationToken(creds, opts);
    }
    return current.token;
  };
}

/**
 * Runs `use` with a fresh installation token and revokes it afterwards, so the token
 * lives for this one call (a key read from a Secret is not kept around to make more).
 */
export async function withInstallationToken<T>(
  creds: InstallationCredentials,
  narrow: TokenNarrowing,
  use: (github: Octokit) => Promise<T>,
  opts: GitHubClientOptions = {},
): Promise<T> {
  const { token } = await createInstallationToken(creds, opts, narrow);
  const github = installationClient(token, opts);
  try {
    return await use(github);
  } finally {
    await github.rest.apps.revokeInstallationAccessToken().catch(() => undefined);
  }
}

/** Authenticates as an installation, with a token or a token provider. */
export function installationClient(source: InstallationTokenSource, opts: GitHubClientOptions = {}): Octokit {
  const s = settings(opts);
  const octokit = new Octokit(s.octokit);
  octokit.hook.before("request", async (options) => {
    const token = typeof source === "string" ? source : await source();
    options.headers.authorization = `token ${token}`;
  });
  return withTypedErrors(octokit, s);
}

/** Authenticates as the signed-in person with their OAuth access token. */
export function userClient(userToken: string, opts: GitHubClientOptions = {}): Octokit {
  const s = settings(opts);
  return withTypedErrors(new Octokit({ ...s.octokit, auth: userToken }), s);
}
