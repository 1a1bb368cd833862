// The credential check against the local GitHub server, one test per failure mode
// the issue names, through the same Octokit code the portal runs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkCredentials, type CredentialCheckInput, type CredentialReport } from "@/lib/github/credential-check";
import type { GitHubServer } from "@/test/github-server/server";
import { APP_CLIENT_ID, APP_ID, INSTALLATIONS, appKey, hits, otherKey, resetWorld, rsaPair, startWorld } from "./world";

let gh: GitHubServer;
beforeAll(async () => {
  gh = await startWorld();
});
afterAll(() => gh.close());
beforeEach(() => resetWorld(gh));

function input(patch: Partial<CredentialCheckInput> = {}): CredentialCheckInput {
  return {
    appId: String(APP_ID),
    installationId: String(INSTALLATIONS.ossci),
    privateKey: appKey.privateKeyPem,
    githubConfigUrl: "https://github.com/ossci",
    ...patch,
  };
}

const check = (patch: Partial<CredentialCheckInput> = {}, apiUrl = gh.url) => checkCredentials(input(patch), { apiUrl });

/** The steps as [step, ok | "skipped"], for compact assertions. */
const outline = (r: CredentialReport) => r.steps.map((s) => [s.step, s.skipped ? "skipped" : s.ok]);
const messageOf = (r: CredentialReport, step: string) => r.steps.find((s) => s.step === step)?.message ?? "";

describe("checkCredentials: happy paths", () => {
  it("passes all four steps for an organisation URL", async () => {
    const r = await check();
    expect(r.status).toBe("ok");
    expect(outline(r)).toEqual([["app", true], ["installation", true], ["permissions", true], ["token", true]]);
    expect(messageOf(r, "app")).toBe("Signed in as the GitHub App “ARC portal test” (App ID 4242).");
    expect(messageOf(r, "installation")).toBe("Installation 777 is on the organisation `ossci`.");
    expect(messageOf(r, "permissions")).toMatch(/“Self-hosted runners: Read and write”/);
    expect(r.retryAfterSeconds).toBeUndefined();
    expect(Number.isNaN(Date.parse(r.checkedAt))).toBe(false);
  });

  it("passes for a repository the installation selected, checking the repository permission", async () => {
    const r = await check({ githubConfigUrl: "https://github.com/ossci/covered" });
    expect(r.status).toBe("ok");
    expect(messageOf(r, "installation")).toBe("Installation 777 covers `ossci/covered`.");
    expect(messageOf(r, "permissions")).toMatch(/“Administration: Read and write”/);
  });

  it("passes for a personal repository of an installation on all repositories", async () => {
    const r = await check({ installationId: "781", githubConfigUrl: "https://github.com/carol/personal" });
    expect(r.status).toBe("ok");
    expect(messageOf(r, "installation")).toMatch(/all repositories/);
  });

  it("accepts the App's Client ID instead of its numeric ID", async () => {
    const r = await check({ appId: APP_CLIENT_ID });
    expect(r.status).toBe("ok");
  });

  it("accepts a PKCS#8 key as well as GitHub's PKCS#1 .pem", async () => {
    const pkcs8 = rsaPair("pkcs8");
    gh.state.apps.get(APP_ID)!.publicKey = (await import("node:crypto")).createPublicKey(pkcs8.publicKeyPem);
    expect((await check({ privateKey: pkcs8.privateKeyPem })).status).toBe("ok");
  });

  it("does not keep the installation token it created", async () => {
    await check();
    expect([...gh.state.tokens.values()].filter((t) => t.kind === "installation")).toEqual([]);
    expect(hits(gh, "DELETE", /\/installation\/token$/)).toBe(1);
  });

  it("works against the GitHub Enterprise Server layout (/api/v3)", async () => {
    const r = await check({}, gh.apiUrl);
    expect(r.status).toBe("ok");
    const paths = gh.requests().map((q) => q.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => p.startsWith("/api/v3/"))).toBe(true);
  });
});

describe("checkCredentials: the App", () => {
  it("reports a wrong App ID and stops", async () => {
    const r = await check({ appId: "999999" });
    expect(r.status).toBe("failed");
    expect(outline(r)).toEqual([["app", false], ["installation", "skipped"], ["permissions", "skipped"], ["token", "skipped"]]);
    expect(messageOf(r, "app")).toMatch(/^GitHub has no App with the ID `999999`\. Copy the App ID/);
    expect(messageOf(r, "token")).toBe("Not checked: an earlier step failed.");
  });

  it("reports a wrong Client ID the same way", async () => {
    const r = await check({ appId: "Iv23liNoSuchApp00000" });
    expect(messageOf(r, "app")).toMatch(/no App with the ID `Iv23liNoSuchApp00000`/);
  });

  it("reports a key that belongs to another App (GitHub answers 401)", async () => {
    const r = await check({ privateKey: otherKey.privateKeyPem });
    expect(r.status).toBe("failed");
    expect(outline(r)[0]).toEqual(["app", false]);
    expect(messageOf(r, "app")).toMatch(/did not accept the App's signature: this private key does not belong to App `4242`/);
  });

  it("reports a key that is not a key before asking GitHub", async () => {
    const r = await check({ privateKey: "-----BEGIN RSA PRIVATE KEY-----\nnot base64 at all!\n-----END RSA PRIVATE KEY-----" });
    expect(r.status).toBe("failed");
    expect(messageOf(r, "app")).toMatch(/^The private key cannot be used: /);
    expect(gh.requests()).toEqual([]);
  });

  it("never puts the private key in the report", async () => {
    const body = appKey.privateKeyPem.split("\n")[5]!;
    for (const r of [await check(), await check({ privateKey: otherKey.privateKeyPem }), await check({ appId: "1" })]) {
      expect(JSON.stringify(r)).not.toContain(body);
      expect(JSON.stringify(r)).not.toContain(otherKey.privateKeyPem.split("\n")[5]!);
    }
  });
});

describe("checkCredentials: the installation", () => {
  it("reports an installation that does not include the repository, in the issue's words", async () => {
    const r = await check({ githubConfigUrl: "https://github.com/ossci/uncovered" });
    expect(r.status).toBe("failed");
    expect(outline(r)).toEqual([["app", true], ["installation", false], ["permissions", "skipped"], ["token", "skipped"]]);
    expect(messageOf(r, "installation")).toBe(
      "This installation is not installed on `ossci/uncovered`; install the App there or change the URL. " +
        "It has access to selected repositories only: add `uncovered` under the installation's “Repository access”, or change the URL.",
    );
  });

  it("reports a repository that does not exist under an all-repositories installation", async () => {
    const r = await check({ installationId: String(INSTALLATIONS.readOnly), githubConfigUrl: "https://github.com/other-org/nope" });
    expect(messageOf(r, "installation")).toMatch(/not installed on `other-org\/nope`.*Check that the repository `other-org\/nope` exists/);
  });

  it("reports an unknown installation ID and names the right one", async () => {
    const r = await check({ installationId: "123456" });
    expect(messageOf(r, "installation")).toBe("This App has no installation with the ID 123456. Its installation on `ossci` has the ID 777: use that.");
  });

  it("reports an installation on another account and names the right one", async () => {
    const r = await check({ installationId: String(INSTALLATIONS.readOnly) });
    expect(messageOf(r, "installation")).toBe(
      "Installation 778 is on `other-org`, not on `ossci`. This App's installation on `ossci` has the ID 777: use that, or change the URL.",
    );
  });

  it("reports an installation on another account when the App is not on the target at all", async () => {
    const r = await check({ githubConfigUrl: "https://github.com/nobody-org" });
    expect(messageOf(r, "installation")).toBe("Installation 777 is on `ossci`, not on `nobody-org`. Install the App on `nobody-org`, or change the URL.");
  });

  it("reports a suspended installation", async () => {
    const r = await check({ installationId: String(INSTALLATIONS.suspended), githubConfigUrl: "https://github.com/paused-org" });
    expect(messageOf(r, "installation")).toMatch(/is suspended\. An owner of `paused-org` must unsuspend it/);
  });

  it("refuses an organisation URL that names a personal account", async () => {
    const r = await check({ installationId: "781", githubConfigUrl: "https://github.com/carol" });
    expect(messageOf(r, "installation")).toMatch(/`carol` is a personal account, not an organisation/);
  });

  it("refuses enterprise URLs: GitHub Apps cannot manage enterprise runners", async () => {
    const r = await check({ githubConfigUrl: "https://ghe.example.com/enterprises/amd" });
    expect(r.status).toBe("failed");
    expect(messageOf(r, "installation")).toMatch(/^Enterprise-level runners cannot use a GitHub App/);
  });
});

describe("checkCredentials: permissions", () => {
  it("reports a missing organisation runner permission (read only)", async () => {
    const r = await check({ installationId: String(INSTALLATIONS.readOnly), githubConfigUrl: "https://github.com/other-org" });
    expect(r.status).toBe("failed");
    expect(outline(r)).toEqual([["app", true], ["installation", true], ["permissions", false], ["token", "skipped"]]);
    expect(messageOf(r, "permissions")).toBe(
      "Installation 778 has only read access where ARC needs “Self-hosted runners: Read and write” to register runners for the organisation `other-org`. " +
        "Grant it in the App's settings (Permissions → Organization permissions → Self-hosted runners), then have an owner of `other-org` accept the new permissions on the installation.",
    );
  });

  it("reports a missing repository administration permission", async () => {
    const r = await check({ installationId: String(INSTALLATIONS.readOnly), githubConfigUrl: "https://github.com/other-org/app" });
    expect(messageOf(r, "permissions")).toMatch(
      /^Installation 778 has no access where ARC needs “Administration: Read and write” to register runners for the repository `other-org\/app`\. Grant it in the App's settings \(Permissions → Repository permissions → Administration\)/,
    );
  });

  it("reports an installation with no runner permission at all", async () => {
    const r = await check({ installationId: String(INSTALLATIONS.bare), githubConfigUrl: "https://github.com/third-org/tool" });
    expect(outline(r)[2]).toEqual(["permissions", false]);
  });
});

describe("checkCredentials: GitHub down or rate-limited", () => {
  it("turns a 5xx into 'unavailable' with a retry hint, and does not retry", async () => {
    gh.failNext("GET /app/installations/{installation_id}", { status: 502 });
    const r = await check();
    expect(r.status).toBe("unavailable");
    expect(outline(r)).toEqual([["app", true], ["installation", false], ["permissions", "skipped"], ["token", "skipped"]]);
    expect(messageOf(r, "installation")).toBe("GitHub answered with a server error (502). This is usually brief; try again in a minute.");
    expect(r.retryAfterSeconds).toBeUndefined();
    expect(hits(gh, "GET", /^\/app\/installations\/777$/)).toBe(1);
  });

  it("turns a primary rate limit (403, x-ratelimit-remaining: 0) into 'unavailable' with the reset time", async () => {
    gh.failNext("GET /app", { rateLimited: true, resetInSeconds: 120 });
    const r = await check();
    expect(r.status).toBe("unavailable");
    expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(118);
    expect(r.retryAfterSeconds).toBeLessThanOrEqual(121);
    expect(messageOf(r, "app")).toMatch(/^GitHub's rate limit for the portal is used up until \d\d:\d\d:\d\d UTC\. Try again in 2 minutes\.$/);
    expect(hits(gh, "GET", /^\/app$/)).toBe(1);
  });

  it("turns a secondary rate limit (429, retry-after) into 'unavailable' with retry-after", async () => {
    gh.failNext("POST /app/installations/{installation_id}/access_tokens", { rateLimited: true, secondary: true, status: 429, resetInSeconds: 30 });
    const r = await check();
    expect(r.status).toBe("unavailable");
    expect(outline(r)).toEqual([["app", true], ["installation", true], ["permissions", true], ["token", false]]);
    expect(r.retryAfterSeconds).toBe(30);
    expect(messageOf(r, "token")).toMatch(/Try again in 30 seconds\.$/);
  });

  it("turns a dropped connection into 'unavailable'", async () => {
    gh.failNext("GET /app", { drop: true });
    const r = await check();
    expect(r.status).toBe("unavailable");
    expect(messageOf(r, "app")).toMatch(/^The portal could not reach GitHub at 127\.0\.0\.1:\d+\. Try again in a minute\.$/);
  });

  it("turns an unreachable server into 'unavailable'", async () => {
    const r = await checkCredentials(input(), { apiUrl: "http://127.0.0.1:9" });
    expect(r.status).toBe("unavailable");
    expect(messageOf(r, "app")).toMatch(/could not reach GitHub at 127\.0\.0\.1:9/);
  });
});
