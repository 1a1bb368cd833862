// The requester's standing on GitHub: asked with their own OAuth token, and for private
// repositories through the App installation the request names.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkRequesterStanding } from "@/lib/github/requester-standing";
import type { GitHubServer } from "@/test/github-server/server";
import { APP_ID, appKey, hits, INSTALLATIONS, otherKey, resetWorld, startWorld } from "./world";

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

// Private repositories: the portal's sign-in asks for no `repo` scope, so the person's token
// cannot see them; the check goes through the App installation the request names.
const SIGN_IN_SCOPES = ["read:user", "user:email", "read:org"];
const PRIVATE_INSTALLATION = 790;

function seedPrivateRepos() {
  for (const login of ["wendy", "mona", "rita", "tina", "amir", "cora", "rory"]) gh.addUser({ login });
  gh.addOrg("inner");
  gh.addRepo("inner", "engine", {
    private: true,
    writers: ["wendy"],
    maintainers: ["mona"],
    readers: ["rita"],
    triagers: ["tina"],
    admins: ["amir"],
    customRoles: [
      { login: "cora", name: "ci-operator", base: "write" },
      { login: "rory", name: "auditor", base: "read" },
    ],
  });
  gh.addRepo("inner", "vault", { private: true, writers: ["wendy"] });
  gh.addRepo("inner", "docs", { writers: ["wendy"] });
  gh.addInstallation({
    id: PRIVATE_INSTALLATION,
    appId: APP_ID,
    account: "inner",
    repositorySelection: "selected",
    repositories: ["engine", "docs"],
    permissions: { administration: "write" },
  });
}

const installation = (installationId = PRIVATE_INSTALLATION, privateKey = appKey.privateKeyPem) => ({
  appId: String(APP_ID),
  installationId: String(installationId),
  privateKey,
});

function privateStanding(login: string, githubConfigUrl: string, opts: { apiUrl?: string; scopes?: string[]; installation?: ReturnType<typeof installation> | null } = {}) {
  return checkRequesterStanding(
    {
      userToken: gh.issueUserToken(login, { scopes: opts.scopes ?? SIGN_IN_SCOPES }),
      login,
      githubConfigUrl,
      installation: opts.installation === undefined ? installation() : opts.installation,
    },
    { apiUrl: opts.apiUrl ?? gh.url },
  );
}

const tokensMinted = () => hits(gh, "POST", /\/app\/installations\/\d+\/access_tokens$/);
const liveInstallationTokens = () => [...gh.state.tokens.values()].filter((t) => t.kind === "installation");

describe("checkRequesterStanding: private repositories, through the App's installation", () => {
  beforeEach(() => seedPrivateRepos());

  it("accepts write, maintain and admin access (and custom roles based on them), and revokes the installation token it made", async () => {
    expect(await privateStanding("wendy", "https://github.com/inner/engine")).toEqual({
      status: "ok",
      ok: true,
      message: "GitHub says @wendy has `write` access to the private repository `inner/engine` (asked through installation 790).",
    });
    expect((await privateStanding("mona", "https://github.com/inner/engine")).message).toMatch(/^GitHub says @mona has `maintain` access/);
    expect((await privateStanding("amir", "https://github.com/inner/engine")).status).toBe("ok");
    // An organisation owner is admin everywhere.
    gh.addMember("inner", "alice", "admin");
    expect((await privateStanding("alice", "https://github.com/inner/engine")).message).toMatch(/^GitHub says @alice has `admin` access/);
    expect(tokensMinted()).toBe(4);
    expect(hits(gh, "DELETE", /^\/installation\/token$/)).toBe(4);
    // A custom role counts as the base role GitHub maps it to, and is named as it is called.
    expect((await privateStanding("cora", "https://github.com/inner/engine")).message).toMatch(/^GitHub says @cora has `ci-operator` access/);
    const rory = await privateStanding("rory", "https://github.com/inner/engine");
    expect(rory.status).toBe("refused");
    expect(rory.message).toMatch(/^GitHub says @rory has only auditor access to `inner\/engine`\./);
    expect(liveInstallationTokens()).toEqual([]);
  });

  it("refuses read and triage access, and no access, naming what GitHub says", async () => {
    const rita = await privateStanding("rita", "https://github.com/inner/engine");
    expect(rita.status).toBe("refused");
    expect(rita.message).toBe(
      "GitHub says @rita has only read access to `inner/engine`. Runners for a private repository can be requested by people with write access or more: ask an admin of `inner/engine` to give you write access, or to request the runners.",
    );
    expect((await privateStanding("tina", "https://github.com/inner/engine")).message).toMatch(/^GitHub says @tina has only triage access to `inner\/engine`\./);
    // An organisation member gets the default read permission; an outsider none.
    gh.addMember("inner", "bob", "member");
    expect((await privateStanding("bob", "https://github.com/inner/engine")).message).toMatch(/^GitHub says @bob has only read access to `inner\/engine`\./);
    const carol = await privateStanding("carol", "https://github.com/inner/engine");
    expect(carol).toMatchObject({ status: "refused", ok: false });
    expect(carol.message).toMatch(/^GitHub says @carol has no access to `inner\/engine`\./);
  });

  it("refuses a private repository outside the installation, or none at all: the installation does not cover it", async () => {
    const vault = await privateStanding("wendy", "https://github.com/inner/vault");
    expect(vault.status).toBe("refused");
    expect(vault.message).toBe(
      "GitHub says the App's installation does not cover `inner/vault`, so the portal cannot see the repository or your access to it. Add `vault` under the installation's “Repository access”, or check the URL.",
    );
    // The permission was never asked: the installation could not see the repository.
    expect(hits(gh, "GET", /\/collaborators\/wendy\/permission$/)).toBe(0);
    expect((await privateStanding("wendy", "https://github.com/inner/no-such-repo")).message).toMatch(/the App's installation does not cover `inner\/no-such-repo`/);
    // The installation of another account covers nothing of inner's.
    const elsewhere = await privateStanding("wendy", "https://github.com/inner/engine", { installation: installation(INSTALLATIONS.ossci) });
    expect(elsewhere.message).toMatch(/the App's installation does not cover `inner\/engine`/);
    expect(liveInstallationTokens()).toEqual([]);
  });

  it("says the App's credentials are needed when the request names none", async () => {
    const r = await privateStanding("wendy", "https://github.com/inner/engine", { installation: null });
    expect(r.status).toBe("refused");
    expect(r.message).toBe(
      "GitHub shows you (`wendy`) no repository `inner/engine`: check the URL. If it is private, the portal checks your access through the team's GitHub App installation: give the App ID, the installation ID and the private key, then check again.",
    );
    expect(tokensMinted()).toBe(0);
  });

  it("refuses when GitHub gives no installation token for the credentials, and says so", async () => {
    const wrongKey = await privateStanding("wendy", "https://github.com/inner/engine", { installation: installation(PRIVATE_INSTALLATION, otherKey.privateKeyPem) });
    expect(wrongKey.status).toBe("refused");
    expect(wrongKey.message).toMatch(/^Could not check your access to `inner\/engine`: .* GitHub did not give the portal a token for it \(401: A JSON web token could not be decoded\)\. Fix the App's credentials/);
    const noSuchInstallation = await privateStanding("wendy", "https://github.com/inner/engine", { installation: installation(999) });
    expect(noSuchInstallation.message).toMatch(/did not give the portal a token for it \(404: Not Found\)/);
    const badKey = await privateStanding("wendy", "https://github.com/inner/engine", { installation: installation(PRIVATE_INSTALLATION, "not a key") });
    expect(badKey.status).toBe("refused");
    expect(badKey.message).not.toContain("not a key");
  });

  it("keeps the person's own check for public repositories and organisations: no installation token is made", async () => {
    const docs = await privateStanding("wendy", "https://github.com/inner/docs");
    expect(docs.message).toMatch(/^You \(`wendy`\) have `write` access to `inner\/docs`, but runners for a repository can only be requested by its admins/);
    gh.addMember("inner", "wendy", "member");
    expect((await privateStanding("wendy", "https://github.com/inner")).status).toBe("ok");
    expect(tokensMinted()).toBe(0);
  });

  it("asks the installation even when the person's token could see the private repository (repo scope)", async () => {
    const r = await privateStanding("rita", "https://github.com/inner/engine", { scopes: [...SIGN_IN_SCOPES, "repo"] });
    expect(r.message).toMatch(/^GitHub says @rita has only read access/);
    expect(tokensMinted()).toBe(1);
  });

  it("works against GitHub Enterprise Server (/api/v3), whatever the host of the URL", async () => {
    const r = await privateStanding("wendy", "https://ghes.example.com/inner/engine", { apiUrl: gh.apiUrl });
    expect(r.status).toBe("ok");
    const vault = await privateStanding("wendy", "https://ghes.example.com/inner/vault", { apiUrl: gh.apiUrl });
    expect(vault.message).toMatch(/the App's installation does not cover `inner\/vault`/);
    expect(gh.requests().length).toBeGreaterThan(4);
    expect(gh.requests().every((q) => q.path.startsWith("/api/v3/"))).toBe(true);
  });

  it("fetches a key it was not given only for a private repository, and warns when it cannot", async () => {
    let fetched = 0;
    const later = async () => {
      fetched++;
      return installation();
    };
    const ask = (login: string, url: string, source: Parameters<typeof checkRequesterStanding>[0]["installation"]) =>
      checkRequesterStanding({ userToken: gh.issueUserToken(login, { scopes: SIGN_IN_SCOPES }), login, githubConfigUrl: url, installation: source }, { apiUrl: gh.url });
    gh.addMember("inner", "wendy", "member");
    expect((await ask("wendy", "https://github.com/inner", later)).status).toBe("ok");
    expect((await ask("wendy", "https://github.com/inner/docs", later)).status).toBe("refused");
    expect(fetched).toBe(0);
    expect((await ask("wendy", "https://github.com/inner/engine", later)).status).toBe("ok");
    expect(fetched).toBe(1);
    const cannot = await ask("wendy", "https://github.com/inner/engine", async () => ({ unavailable: "the cluster did not answer." }));
    expect(cannot).toEqual({
      status: "unavailable",
      ok: false,
      message: "Could not check your access to `inner/engine` through the App's installation: the cluster did not answer.",
    });
  });

  it("is 'unavailable' when GitHub fails on the way, and still revokes the token", async () => {
    gh.failNext("POST /app/installations/{installation_id}/access_tokens", { status: 502 });
    const down = await privateStanding("wendy", "https://github.com/inner/engine");
    expect(down.status).toBe("unavailable");
    expect(down.message).toBe("Could not check your access on GitHub: GitHub answered with a server error (502). This is usually brief; try again in a minute.");

    gh.failNext("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { rateLimited: true, resetInSeconds: 120 });
    const limited = await privateStanding("wendy", "https://github.com/inner/engine");
    expect(limited.status).toBe("unavailable");
    expect(limited.retryAfterSeconds).toBeGreaterThanOrEqual(118);
    expect(hits(gh, "DELETE", /^\/installation\/token$/)).toBe(1);
    expect(liveInstallationTokens()).toEqual([]);
  });
});
