// GitHub failures that are nobody's fault on our side: 5xx, network, timeouts and
// rate limits. They become typed errors so callers can show a warning with a retry
// time instead of crashing. 4xx answers stay Octokit's RequestError (see httpStatus).
import { countGitHubError } from "@/lib/metrics";

export type UnavailableReason = "rate-limited" | "server-error" | "network" | "timeout";

export class GitHubUnavailableError extends Error {
  constructor(
    readonly reason: UnavailableReason,
    message: string,
    /** Seconds to wait before trying again, when GitHub said or it can be derived. */
    readonly retryAfterSeconds?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = "GitHubUnavailableError";
    countGitHubError(reason);
  }
}

/** GitHub's rate limit is used up until `until`; nothing is retried automatically. */
export class GitHubRateLimitedError extends GitHubUnavailableError {
  constructor(
    readonly until: Date,
    retryAfterSeconds: number,
    status: number,
  ) {
    super(
      "rate-limited",
      `GitHub's rate limit for the portal is used up until ${until.toISOString().slice(11, 19)} UTC. Try again in ${waitInWords(retryAfterSeconds)}.`,
      retryAfterSeconds,
      status,
    );
    this.name = "GitHubRateLimitedError";
  }
}

export function isGitHubUnavailable(e: unknown): e is GitHubUnavailableError {
  return e instanceof GitHubUnavailableError;
}

/** "45 seconds", "2 minutes": for messages. */
export function waitInWords(seconds: number): string {
  if (seconds < 90) {
    const n = Math.max(1, Math.round(seconds));
    return `${n} second${n === 1 ? "" : "s"}`;
  }
  return `${Math.ceil(seconds / 60)} minutes`;
}

type OctokitLikeError = Error & {
  status?: unknown;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
  cause?: unknown;
};

/** The HTTP status of a GitHub answer (Octokit's RequestError), or undefined for anything else. */
export function httpStatus(e: unknown): number | undefined {
  const err = e as OctokitLikeError | null;
  return err && typeof err.status === "number" && err.response ? err.status : undefined;
}

/** GitHub's own error message ("Not Found", "Resource not accessible by integration"). */
export function githubMessage(e: unknown): string {
  const data = (e as OctokitLikeError | null)?.response?.data as { message?: unknown } | undefined;
  return typeof data?.message === "string" ? data.message : ((e as Error | null)?.message ?? String(e));
}

// GitHub's documented advice when a secondary limit comes without retry-after.
const SECONDARY_LIMIT_WAIT_SECONDS = 60;

function header(headers: Record<string, string | number | undefined>, name: string): string | undefined {
  const v = headers[name];
  return v === undefined ? undefined : String(v);
}

function rateLimitWait(status: number, headers: Record<string, string | number | undefined>, message: string, nowMs: number) {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = Number(header(headers, "retry-after"));
  if (header(headers, "retry-after") !== undefined && Number.isFinite(retryAfter)) return Math.max(0, Math.ceil(retryAfter));
  if (header(headers, "x-ratelimit-remaining") === "0") {
    const reset = Number(header(headers, "x-ratelimit-reset"));
    if (Number.isFinite(reset)) return Math.max(0, Math.ceil(reset - nowMs / 1000));
    return SECONDARY_LIMIT_WAIT_SECONDS;
  }
  if (status === 429 || /rate limit/i.test(message)) return SECONDARY_LIMIT_WAIT_SECONDS;
  return undefined;
}

function causeName(e: OctokitLikeError): string {
  let c: unknown = e;
  // fetch wraps the real reason (TimeoutError, ECONNREFUSED) one or two levels down.
  for (let i = 0; i < 3 && c; i++) {
    const name = (c as Error).name;
    if (name === "TimeoutError" || name === "AbortError") return name;
    c = (c as { cause?: unknown }).cause;
  }
  return "";
}

/**
 * Maps what Octokit threw to a GitHubUnavailableError when GitHub is down, slow,
 * unreachable or rate-limiting; anything else (4xx answers, bugs) is returned as is.
 */
export function toGitHubError(error: unknown, ctx: { apiUrl: string; timeoutMs: number }, nowMs = Date.now()): unknown {
  if (error instanceof GitHubUnavailableError || !(error instanceof Error)) return error;
  const e = error as OctokitLikeError;
  const status = typeof e.status === "number" ? e.status : undefined;
  const host = hostOf(ctx.apiUrl);

  if (causeName(e) === "TimeoutError") {
    return new GitHubUnavailableError("timeout", `GitHub (${host}) did not answer within ${waitInWords(ctx.timeoutMs / 1000)}. Try again in a minute.`);
  }
  if (!e.response) {
    // No answer at all: Octokit reports fetch failures as an HttpError without a response.
    if (e.name !== "HttpError") return error;
    return new GitHubUnavailableError("network", `The portal could not reach GitHub at ${host}. Try again in a minute.`);
  }
  const headers = e.response.headers ?? {};
  const wait = status === undefined ? undefined : rateLimitWait(status, headers, githubMessage(e), nowMs);
  if (status !== undefined && wait !== undefined) return new GitHubRateLimitedError(new Date(nowMs + wait * 1000), wait, status);
  if (status !== undefined && status >= 500) {
    const retryAfter = Number(header(headers, "retry-after"));
    return new GitHubUnavailableError(
      "server-error",
      `GitHub answered with a server error (${status}). This is usually brief; try again in a minute.`,
      Number.isFinite(retryAfter) && header(headers, "retry-after") !== undefined ? Math.ceil(retryAfter) : undefined,
      status,
    );
  }
  return error;
}

function hostOf(apiUrl: string): string {
  try {
    return new URL(apiUrl).host;
  } catch {
    return apiUrl;
  }
}
