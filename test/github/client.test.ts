// The Octokit factories: base URL from configuration, a timeout per request, no
// retries, and typed errors for GitHub being down or rate-limited.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AppKeyError,
  appClient,
  appInstallationTokenProvider,
  createInstallationToken,
  installationClient,
  jwtIssuer,
  userClient,
} from "@/lib/github/client";
import { GitHubRateLimitedError, GitHubUnavailableError, toGitHubError } from "@/lib/github/errors";
import type { GitHubServer } from "@/test/github-server/server";
import { APP_CLIENT_ID, APP_ID, INSTALLATIONS, appKey, hits, resetWorld, startWorld } from "./world";

let gh: GitHubServer;
beforeAll(async () => {
  gh = await startWorld();
});
afterAll(() => gh.close());
beforeEach(() => resetWorld(gh));

const creds = { appId: String(APP_ID), installationId: String(INSTALLATIONS.ossci), privateKey: appKey.privateKeyPem };

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("app client", () => {
  it("signs the JWT with the numeric App ID or with the Client ID", async () => {
    expect(jwtIssuer(" 4242 ")).toBe(4242);
    expect(jwtIssuer(APP_CLIENT_ID)).toBe(APP_CLIENT_ID);
    for (const appId of [String(APP_ID), APP_CLIENT_ID]) {
      const { data } = await appClient({ ...creds, appId }, { apiUrl: gh.url }).rest.apps.getAuthenticated();
      expect(data?.id).toBe(APP_ID);
    }
  });

  it("refuses an unusable key before any request, without quoting it", () => {
    const bad = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----";
    let error: unknown;
    try {
      appClient({ ...creds, privateKey: bad }, { apiUrl: gh.url });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppKeyError);
    expect((error as Error).message).not.toContain("AAAA");
    expect(gh.requests()).toEqual([]);
  });

  it("creates installation tokens, and a provider reuses one until it nears expiry", async () => {
    const token = await createInstallationToken(creds, { apiUrl: gh.url });
    expect(token.token).toMatch(/^ghs_/);
    expect(token.expiresAt.getTime()).toBeGreaterThan(Date.now() + 50 * 60 * 1000);
    expect(token.permissions).toMatchObject({ organization_self_hosted_runners: "write" });

    const provider = appInstallationTokenProvider(creds, { apiUrl: gh.url });
    const github = installationClient(provider, { apiUrl: gh.url });
    await github.rest.apps.listReposAccessibleToInstallation();
    await github.rest.apps.listReposAccessibleToInstallation();
    expect(hits(gh, "POST", /access_tokens$/)).toBe(2); // one above, one for the provider
  });
});

describe("no retries, typed errors", () => {
  it("does not retry a 5xx and throws GitHubUnavailableError", async () => {
    gh.failNext("GET /user", { status: 500 }, { times: 5 });
    const e = await rejection(userClient(gh.issueUserToken("bob"), { apiUrl: gh.url }).rest.users.getAuthenticated());
    expect(e).toBeInstanceOf(GitHubUnavailableError);
    expect(e).toMatchObject({ reason: "server-error", status: 500 });
    expect(hits(gh, "GET", /^\/user$/)).toBe(1);
  });

  it("does not sleep on a rate limit: it throws 'rate limited until T' at once", async () => {
    gh.failNext("GET /user", { rateLimited: true, resetInSeconds: 3600 });
    const started = Date.now();
    const e = await rejection(userClient(gh.issueUserToken("bob"), { apiUrl: gh.url }).rest.users.getAuthenticated());
    expect(Date.now() - started).toBeLessThan(2000);
    expect(e).toBeInstanceOf(GitHubRateLimitedError);
    const limited = e as GitHubRateLimitedError;
    expect(limited.retryAfterSeconds).toBeGreaterThan(3590);
    expect(Math.abs(limited.until.getTime() - (Date.now() + 3600_000))).toBeLessThan(5000);
    expect(hits(gh, "GET", /^\/user$/)).toBe(1);
  });

  it("leaves 4xx answers to the caller as Octokit's errors", async () => {
    const e = await rejection(userClient(gh.issueUserToken("carol"), { apiUrl: gh.url }).rest.orgs.getMembershipForAuthenticatedUser({ org: "ossci" }));
    expect(e).not.toBeInstanceOf(GitHubUnavailableError);
    expect((e as { status: number }).status).toBe(404);
  });

  it("times out a request that gets no answer", async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const apiUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const started = Date.now();
      const e = await rejection(userClient("gho_x", { apiUrl, timeoutMs: 300 }).rest.users.getAuthenticated());
      expect(Date.now() - started).toBeLessThan(3000);
      expect(e).toBeInstanceOf(GitHubUnavailableError);
      expect(e).toMatchObject({ reason: "timeout", message: `GitHub (${new URL(apiUrl).host}) did not answer within 1 second. Try again in a minute.` });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("never sends the private key anywhere: errors carry only GitHub's answer", async () => {
    gh.failNext("GET /app", { status: 502 });
    const e = await rejection(appClient(creds, { apiUrl: gh.url }).rest.apps.getAuthenticated());
    const text = JSON.stringify(e, Object.getOwnPropertyNames(e)) + String(e);
    expect(text).not.toContain(appKey.privateKeyPem.split("\n")[3]!);
  });
});

describe("toGitHubError", () => {
  const ctx = { apiUrl: "https://api.github.com", timeoutMs: 10_000 };
  const now = Date.parse("2026-01-01T00:00:00Z");
  const httpError = (status: number, headers: Record<string, string>, message = "x") =>
    Object.assign(new Error(message), { name: "HttpError", status, response: { headers, data: { message } } });

  it("reads the primary limit's reset time", () => {
    const e = toGitHubError(httpError(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 600) }), ctx, now);
    expect(e).toBeInstanceOf(GitHubRateLimitedError);
    expect((e as GitHubRateLimitedError).retryAfterSeconds).toBe(600);
    expect((e as GitHubRateLimitedError).message).toBe("GitHub's rate limit for the portal is used up until 00:10:00 UTC. Try again in 10 minutes.");
  });

  it("prefers retry-after (secondary limits), and waits a minute when GitHub gives no time", () => {
    expect((toGitHubError(httpError(403, { "retry-after": "17" }), ctx, now) as GitHubRateLimitedError).retryAfterSeconds).toBe(17);
    expect((toGitHubError(httpError(429, {}), ctx, now) as GitHubRateLimitedError).retryAfterSeconds).toBe(60);
    expect((toGitHubError(httpError(403, {}, "You have exceeded a secondary rate limit"), ctx, now) as GitHubRateLimitedError).retryAfterSeconds).toBe(60);
  });

  it("keeps a permission 403 as a 403", () => {
    const original = httpError(403, { "x-ratelimit-remaining": "4999" }, "Resource not accessible by integration");
    expect(toGitHubError(original, ctx, now)).toBe(original);
  });

  it("passes retry-after through on a 503", () => {
    expect(toGitHubError(httpError(503, { "retry-after": "120" }), ctx, now)).toMatchObject({ reason: "server-error", retryAfterSeconds: 120 });
  });

  it("leaves programming errors alone", () => {
    const bug = new TypeError("undefined is not a function");
    expect(toGitHubError(bug, ctx, now)).toBe(bug);
  });
});
