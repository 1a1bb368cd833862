// The requester's standing on GitHub, asked with their own OAuth token.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkRequesterStanding } from "@/lib/github/requester-standing";
import type { GitHubServer } from "@/test/github-server/server";
import { resetWorld, startWorld } from "./world";

let gh: GitHubServer;
beforeAll(async () => {
  gh = await startWorld();
});
afterAll(() => gh.close());
beforeEach(() => resetWorld(gh));

function standing(login: string, githubConfigUrl: string, apiUrl = gh.url) {
  return checkRequesterStanding({ userToken: gh.issueUserToken(login), login, githubConfigUrl }, { apiUrl });
}

describe("checkRequesterStanding: organisations", () => {
  it("accepts a member and an owner of the organisation", async () => {
    expect(await standing("bob", "https://github.com/ossci")).toEqual({
      status: "ok",
      ok: true,
      message: "GitHub lists you (`bob`) as a member of `ossci`.",
    });
    expect((await standing("alice", "https://github.com/ossci")).status).toBe("ok");
  });

  it("refuses someone who is not a member, and says what to do", async () => {
    const r = await standing("carol", "https://github.com/ossci");
    expect(r.status).toBe("refused");
    expect(r.ok).toBe(false);
    expect(r.message).toBe(
      "GitHub does not list you (`carol`) as a member of `ossci`. Only its members can request runners for it: ask an owner of `ossci` to add you, or use the URL of an organisation you belong to or a repository you administer.",
    );
  });

  it("works against the GitHub Enterprise Server layout (/api/v3)", async () => {
    expect((await standing("bob", "https://github.com/ossci", gh.apiUrl)).status).toBe("ok");
    expect(gh.requests().every((q) => q.path.startsWith("/api/v3/"))).toBe(true);
  });
});

describe("checkRequesterStanding: repositories", () => {
  it("accepts a repository admin who is not an organisation member", async () => {
    const r = await standing("erin", "https://github.com/ossci/covered");
    expect(r).toMatchObject({ status: "ok", message: "GitHub lists you (`erin`) as an admin of `ossci/covered`." });
  });

  it("accepts an organisation owner (admin on every repository) and the owner of a personal repository", async () => {
    expect((await standing("alice", "https://github.com/ossci/covered")).status).toBe("ok");
    expect((await standing("carol", "https://github.com/carol/personal")).status).toBe("ok");
  });

  it("refuses someone with write access only", async () => {
    const r = await standing("dave", "https://github.com/ossci/covered");
    expect(r.status).toBe("refused");
    expect(r.message).toBe(
      "You (`dave`) have `write` access to `ossci/covered`, but runners for a repository can only be requested by its admins. Ask an admin of `ossci/covered` to request them, or to make you an admin.",
    );
  });

  it("refuses an organisation member with the default read access", async () => {
    expect((await standing("bob", "https://github.com/ossci/covered")).message).toMatch(/^You \(`bob`\) have `read` access/);
  });

  it("refuses a repository the person cannot see", async () => {
    const r = await standing("carol", "https://github.com/ossci/uncovered");
    expect(r.status).toBe("refused");
    expect(r.message).toMatch(/^GitHub shows you \(`carol`\) no repository `ossci\/uncovered`: check the URL\./);
  });
});

describe("checkRequesterStanding: tokens and outages", () => {
  it("refuses without a token, and with a token GitHub no longer accepts", async () => {
    const none = await checkRequesterStanding({ userToken: null, login: "bob", githubConfigUrl: "https://github.com/ossci" }, { apiUrl: gh.url });
    expect(none.status).toBe("refused");
    expect(none.message).toMatch(/no GitHub sign-in token for you/);
    const revoked = await checkRequesterStanding(
      { userToken: "gho_revoked000000000000000000000000000", login: "bob", githubConfigUrl: "https://github.com/ossci" },
      { apiUrl: gh.url },
    );
    expect(revoked.message).toMatch(/^GitHub no longer accepts the portal's sign-in token for you\. Sign out, sign in with GitHub again/);
  });

  it("is 'unavailable' on a 5xx, without retrying", async () => {
    gh.failNext("GET /user/memberships/orgs/{org}", { status: 503 });
    const r = await standing("bob", "https://github.com/ossci");
    expect(r.status).toBe("unavailable");
    expect(r.message).toBe("Could not check your access on GitHub: GitHub answered with a server error (503). This is usually brief; try again in a minute.");
    expect(gh.requests().filter((q) => q.path === "/user/memberships/orgs/ossci")).toHaveLength(1);
  });

  it("is 'unavailable' with retryAfterSeconds when rate-limited", async () => {
    gh.failNext("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { rateLimited: true, resetInSeconds: 300 });
    const r = await standing("erin", "https://github.com/ossci/covered");
    expect(r.status).toBe("unavailable");
    expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(298);
    expect(r.retryAfterSeconds).toBeLessThanOrEqual(301);
    expect(r.message).toMatch(/Try again in 5 minutes\.$/);
  });
});
