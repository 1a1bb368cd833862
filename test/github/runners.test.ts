// The runners GitHub reports for a scale set's label, read with an installation token.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createInstallationToken } from "@/lib/github/client";
import { listScaleSetRunners, type ScaleSetRunnersInput } from "@/lib/github/runners";
import type { GitHubServer } from "@/test/github-server/server";
import { APP_ID, INSTALLATIONS, appKey, hits, resetWorld, startWorld } from "./world";

let gh: GitHubServer;
beforeAll(async () => {
  gh = await startWorld();
});
afterAll(() => gh.close());
beforeEach(() => resetWorld(gh));

const creds = { appId: String(APP_ID), installationId: String(INSTALLATIONS.ossci), privateKey: appKey.privateKeyPem };
const list = (patch: Partial<ScaleSetRunnersInput> = {}, apiUrl = gh.url) =>
  listScaleSetRunners({ ...creds, githubConfigUrl: "https://github.com/ossci", label: "mi300-cluster", ...patch }, { apiUrl });

describe("listScaleSetRunners", () => {
  it("lists the organisation's runners that carry the scale set's label", async () => {
    expect(await list()).toEqual({
      status: "ok",
      runners: [
        { id: 2, name: "mi300-cluster-a1", status: "offline", busy: false, labels: ["mi300-cluster"] },
        { id: 1, name: "mi300-cluster-b2", status: "online", busy: true, labels: ["mi300-cluster"] },
      ],
    });
  });

  it("matches labels case-insensitively, as GitHub does", async () => {
    const r = await list({ label: "MI300-Cluster" });
    expect(r.status === "ok" && r.runners.map((x) => x.name)).toEqual(["mi300-cluster-a1", "mi300-cluster-b2"]);
  });

  it("lists a repository's runners", async () => {
    const r = await list({ githubConfigUrl: "https://github.com/ossci/covered", label: "linux-mi300-gpu-1" });
    expect(r).toEqual({ status: "ok", runners: [{ id: 4, name: "repo-runner", status: "online", busy: false, labels: ["linux-mi300-gpu-1"] }] });
  });

  it("follows GitHub's pagination", async () => {
    for (let i = 0; i < 150; i++) gh.addRunner("ossci", { name: `big-${String(i).padStart(3, "0")}`, status: "online", busy: i % 2 === 0, labels: ["big-set"] });
    const r = await list({ label: "big-set" });
    expect(r.status === "ok" && r.runners.length).toBe(150);
    expect(hits(gh, "GET", /^\/orgs\/ossci\/actions\/runners$/)).toBe(2);
  });

  it("uses an injected token provider when the portal no longer holds the key", async () => {
    const minted = await createInstallationToken(creds, { apiUrl: gh.url });
    let calls = 0;
    const provider = async () => {
      calls++;
      return minted.token;
    };
    const r = await list({ privateKey: undefined, installationToken: provider });
    expect(r.status).toBe("ok");
    expect(calls).toBe(1);
    // No JWT was needed: nothing asked for a new installation token.
    expect(hits(gh, "POST", /access_tokens$/)).toBe(1);
  });

  it("mints one installation token for all pages", async () => {
    for (let i = 0; i < 120; i++) gh.addRunner("ossci", { name: `p-${i}`, status: "online", busy: false, labels: ["paged"] });
    await list({ label: "paged" });
    expect(hits(gh, "POST", /access_tokens$/)).toBe(1);
  });

  it("refuses without any credential (a programming error)", async () => {
    await expect(list({ privateKey: undefined })).rejects.toThrow(/needs privateKey or installationToken/);
  });

  it("says so when the installation lacks the runner permission", async () => {
    const r = await list({ installationId: String(INSTALLATIONS.bare), githubConfigUrl: "https://github.com/third-org" });
    expect(r).toEqual({
      status: "failed",
      message: "GitHub would not list the runners of `third-org` (Resource not accessible by integration): the installation may have lost the runner permission.",
    });
  });

  it("is 'unavailable' with retryAfterSeconds when rate-limited, and on a 5xx", async () => {
    gh.failNext("GET /orgs/{org}/actions/runners", { rateLimited: true, resetInSeconds: 90 });
    const limited = await list();
    expect(limited.status).toBe("unavailable");
    expect(limited.status === "unavailable" && limited.retryAfterSeconds).toBeGreaterThanOrEqual(88);

    gh.failNext("GET /orgs/{org}/actions/runners", { status: 500 });
    const down = await list();
    expect(down).toEqual({
      status: "unavailable",
      message: "Could not ask GitHub for the runners: GitHub answered with a server error (500). This is usually brief; try again in a minute.",
    });
  });

  it("is 'unavailable' when minting the token hits GitHub's rate limit", async () => {
    gh.failNext("POST /app/installations/{installation_id}/access_tokens", { rateLimited: true, secondary: true, resetInSeconds: 45 });
    expect(await list()).toMatchObject({ status: "unavailable", retryAfterSeconds: 45 });
  });

  it("works against the GitHub Enterprise Server layout (/api/v3)", async () => {
    const r = await list({}, gh.apiUrl);
    expect(r.status === "ok" && r.runners).toHaveLength(2);
    expect(gh.requests().every((q) => q.path.startsWith("/api/v3/"))).toBe(true);
  });
});
