// Primary rate-limit accounting: an hourly window per principal that drives the
// x-ratelimit-* headers on every answer, and GET /rate_limit. Counting never
// refuses a request by itself (long e2e runs must not trip over it); refusals
// come from fault injection (faults.ts), which produces GitHub's exact shape.
import { rateLimitBucket } from "./auth";
import { json } from "./http";
import type { Router } from "./router";
import type { GitHubState } from "./state";

export const WINDOW_SECONDS = 3600;

export interface RateSnapshot {
  limit: number;
  used: number;
  remaining: number;
  /** Epoch seconds when the window resets. */
  reset: number;
  resource: string;
}

type Bucket = ReturnType<typeof rateLimitBucket>;

function windowOf(state: GitHubState, bucket: Bucket, nowMs: number) {
  let w = state.rateWindows.get(bucket.key);
  if (!w || nowMs - w.start >= WINDOW_SECONDS * 1000) {
    w = { start: nowMs, used: 0 };
    state.rateWindows.set(bucket.key, w);
  }
  return w;
}

export function snapshot(state: GitHubState, bucket: Bucket, count: boolean, nowMs = Date.now()): RateSnapshot {
  const w = windowOf(state, bucket, nowMs);
  if (count) w.used++;
  return {
    limit: bucket.limit,
    used: w.used,
    remaining: Math.max(bucket.limit - w.used, 0),
    reset: Math.floor(w.start / 1000) + WINDOW_SECONDS,
    resource: "core",
  };
}

export function rateHeaders(s: RateSnapshot): Record<string, string> {
  return {
    "x-ratelimit-limit": String(s.limit),
    "x-ratelimit-remaining": String(s.remaining),
    "x-ratelimit-reset": String(s.reset),
    "x-ratelimit-used": String(s.used),
    "x-ratelimit-resource": s.resource,
  };
}

export function registerRateLimitRoutes(router: Router): void {
  // GET /rate_limit does not count against the limit (GitHub documents this).
  router.add("GET", "/rate_limit", (ctx) => {
    const s = snapshot(ctx.state, rateLimitBucket(ctx.principal()), false);
    const core = { limit: s.limit, used: s.used, remaining: s.remaining, reset: s.reset };
    return json(200, {
      resources: {
        core,
        search: { limit: 30, used: 0, remaining: 30, reset: s.reset },
        graphql: { ...core },
      },
      rate: core,
    });
  });
}
