// Fault injection: queue failures for matching requests and answer them the way
// GitHub does (5xx bodies, primary and secondary rate-limit responses, or a
// dropped connection).
import { rateLimitBucket } from "./auth";
import { githubError, type Reply } from "./http";
import { rateHeaders, type RateSnapshot } from "./ratelimit";
import { faultMatches } from "./router";
import type { FaultSpec, GitHubState } from "./state";

const RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

const SERVER_MESSAGES: Record<number, string> = {
  500: "Server Error",
  502: "Server Error",
  503: "Service Unavailable",
  // GitHub's wording when a request times out on its side.
  504: "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.",
};

export function addFault(state: GitHubState, route: string, spec: FaultSpec, times = 1): void {
  state.faults.push({ route, spec, remaining: Math.max(1, Math.floor(times)) });
}

/** Takes the first queued fault that matches, consuming one use of it. */
export function takeFault(state: GitHubState, method: string, path: string, template: string | null): FaultSpec | null {
  const i = state.faults.findIndex((f) => faultMatches(f.route, method, path, template));
  if (i < 0) return null;
  const fault = state.faults[i]!;
  fault.remaining--;
  if (fault.remaining <= 0) state.faults.splice(i, 1);
  return fault.spec;
}

/** current is the caller's rate window as already counted for this request. */
export function faultReply(
  spec: FaultSpec,
  bucket: ReturnType<typeof rateLimitBucket>,
  current: RateSnapshot,
  requestId: string,
): Reply | "drop" {
  if ("drop" in spec) return "drop";
  if ("rateLimited" in spec) {
    const wait = spec.resetInSeconds ?? 60;
    const status = spec.status ?? 403;
    if (spec.secondary) {
      // Secondary limits say so in the message and usually send retry-after.
      return githubError(
        status,
        `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
        `${RATE_DOCS}#about-secondary-rate-limits`,
        { ...rateHeaders(current), "retry-after": String(wait) },
      );
    }
    const reset = Math.floor(Date.now() / 1000) + wait;
    const anonymousHint =
      bucket.key.startsWith("ip:")
        ? " (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
        : "";
    return githubError(status, `API rate limit exceeded for ${bucket.label}.${anonymousHint}`, `${RATE_DOCS}#about-the-primary-rate-limit`, {
      ...rateHeaders({ ...current, remaining: 0, used: current.limit, reset }),
    });
  }
  return githubError(spec.status, spec.message ?? SERVER_MESSAGES[spec.status] ?? "Server Error", "https://docs.github.com/rest");
}
