// "Check with GitHub again" on a stored request: GitHub is asked about the requester's access as
// the requester (their sealed sign-in token), also when a reviewer asks, and the answer is kept
// on the request and on its timeline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { GitHubServer } from "@/test/github-server/server";
import { setEnv } from "@/test/harness/set-env";
import { appKey, APP_ID, INSTALLATIONS, startWorld } from "@/test/github/world";
import { approvedRequest, people, suffix, testCluster, testSpec, type People } from "@/test/provision/fixtures";

let gh: GitHubServer;
let restoreEnv: () => void;
let p: People;

beforeAll(async () => {
  gh = await startWorld();
  restoreEnv = setEnv({ GITHUB_API_URL: gh.url });
  p = await people();
  // The requester is alice on GitHub (an admin of ossci), signed in with GitHub; the reviewer never was.
  await db.user.update({ where: { id: p.requester.id }, data: { login: "alice" } });
  p.requester.login = "alice";
  await db.account.create({ data: { userId: p.requester.id, provider: "github", type: "oauth", providerAccountId: "101", access_token: gh.issueUserToken("alice") } });
});

afterAll(async () => {
  restoreEnv();
  await gh.close();
});

describe("checking with GitHub again", () => {
  it("asks about the requester's access as the requester when a reviewer asks, and records the answer on the timeline", async () => {
    const { recheckGitHub } = await import("@/lib/requests/recheck");
    const cluster = await testCluster("recheck");
    const s = suffix();
    const spec = testSpec(`re-${s}`, `ns-re-${s}`, { githubConfigUrl: "https://github.com/ossci", githubApp: { appId: String(APP_ID), installationId: String(INSTALLATIONS.ossci) } });
    const { request } = await approvedRequest(p, cluster.id, spec, { status: "SUBMITTED", pem: appKey.privateKeyPem });

    const check = await recheckGitHub(p.reviewer, request.id);
    expect(check.standing).toEqual({ status: "ok", ok: true, message: "GitHub lists you (`alice`) as a member of `ossci`." });
    expect(check.credentials?.status).not.toBe("unavailable");
    const stored = await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored.githubCheck).toMatchObject({ standing: { status: "ok" } });
    const event = await db.requestEvent.findFirstOrThrow({ where: { requestId: request.id, type: "github_recheck" } });
    expect(event.actorId).toBe(p.reviewer.id);
    expect(event.message).not.toMatch(/could not be reached/);
  });
});
