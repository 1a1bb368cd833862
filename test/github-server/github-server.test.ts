// Drives the fake GitHub through the real clients the portal uses: @octokit/rest
// (baseUrl = the server, at the root and under /api/v3) and plain fetch for the
// OAuth web flow, as next-auth's openid-client does it.
import { spawn } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signAppJwt, startGitHubServer, type GitHubServer } from "./server";

const APP_ID = 4242;
const APP_CLIENT_ID = "Iv23liARCfakeClient";
const OAUTH_CLIENT = { clientId: "Ov23liPortalTest", clientSecret: "portal-secret" };
const CALLBACK = "http://127.0.0.1:3000/api/auth/callback/github";

function rsaPair() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const appKey = rsaPair();
const otherKey = rsaPair();

// Octokit logs failed requests at error level; the assertions say what matters.
const quiet = { debug() {}, info() {}, warn: console.warn, error() {} };

let gh: GitHubServer;

function octokit(auth?: string, baseUrl: string = gh.url) {
  return new Octokit({ baseUrl, auth, log: quiet });
}

function appJwt(overrides: Partial<Parameters<typeof signAppJwt>[0]> = {}) {
  return signAppJwt({ issuer: APP_ID, privateKeyPem: appKey.privateKeyPem, ...overrides });
}

/** Resolves to the RequestError Octokit throws (fails the test if it does not throw). */
async function httpError(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as { status: number; message: string; response?: { headers: Record<string, string>; data: any } };
  }
  throw new Error("expected the request to fail");
}

function seedWorld(s: GitHubServer) {
  s.addUser({ login: "alice", id: 101, name: "Alice Admin", email: "alice@example.com" });
  s.addUser({ login: "bob", id: 102, name: "Bob Member" });
  s.addUser({ login: "carol", id: 103 });
  s.addOrg("ossci");
  s.addOrg("other-org");
  s.addMember("ossci", "alice", "admin");
  s.addMember("ossci", "bob", "member");
  s.addTeam("ossci", "arc-reviewers", ["bob"]);
  s.addRepo("ossci", "covered");
  s.addRepo("ossci", "uncovered", { private: true });
  s.addRepo("carol", "personal");
  s.addOAuthApp({ ...OAUTH_CLIENT, callbackUrl: "http://127.0.0.1:3000/api/auth/callback" });
  s.addApp({ id: APP_ID, clientId: APP_CLIENT_ID, slug: "arc-runner-portal-test", publicKeyPem: appKey.publicKeyPem, owner: "ossci" });
  s.addInstallation({
    id: 777,
    appId: APP_ID,
    account: "ossci",
    repositorySelection: "selected",
    repositories: ["covered"],
    permissions: { administration: "write", organization_self_hosted_runners: "write", members: "read" },
  });
  s.addInstallation({ id: 778, appId: APP_ID, account: "carol", repositorySelection: "all", permissions: {} });
  s.addRunner("ossci", { id: 1, name: "mi300-cluster-abc12", status: "online", busy: true, labels: ["mi300-cluster"] });
  s.addRunner("ossci", { id: 2, name: "mi300-cluster-def34", status: "offline", busy: false, labels: ["mi300-cluster"] });
  s.addRunner("ossci/covered", { id: 3, name: "repo-runner", status: "online", busy: false, labels: ["self-hosted", "linux-mi300-gpu-1"] });
}

beforeAll(async () => {
  gh = await startGitHubServer();
});
afterAll(async () => {
  await gh.close();
});
beforeEach(() => {
  gh.reset({ empty: true });
  seedWorld(gh);
});

async function installationToken(id = 777, body: Record<string, unknown> = {}) {
  const { data } = await octokit(appJwt()).request("POST /app/installations/{installation_id}/access_tokens", {
    installation_id: id,
    ...body,
  });
  return data.token;
}

describe("OAuth web flow (plain fetch)", () => {
  async function authorize(params: Record<string, string>) {
    const url = new URL("/login/oauth/authorize", gh.url);
    for (const [k, v] of Object.entries({ client_id: OAUTH_CLIENT.clientId, redirect_uri: CALLBACK, ...params })) {
      url.searchParams.set(k, v);
    }
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(302);
    return new URL(res.headers.get("location")!);
  }

  async function exchange(body: Record<string, string>, headers: Record<string, string> = { accept: "application/json" }) {
    const res = await fetch(new URL("/login/oauth/access_token", gh.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(body),
    });
    expect(res.status).toBe(200);
    return res;
  }

  it("redirects back with code and state, and exchanges the code for a bearer token", async () => {
    const back = await authorize({ state: "xyz-state", scope: "read:user user:email" });
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get("state")).toBe("xyz-state");
    const code = back.searchParams.get("code")!;
    expect(code).toMatch(/^[0-9a-f]{20}$/);

    const res = await exchange({ ...OAUTH_CLIENT_BODY(), code, redirect_uri: CALLBACK });
    expect(res.headers.get("content-type")).toContain("application/json");
    const token = (await res.json()) as Record<string, string>;
    expect(token).toEqual({ access_token: expect.stringMatching(/^gho_\w{36}$/), token_type: "bearer", scope: "read:user,user:email" });

    // Default user is the first one seeded.
    const { data } = await octokit(token.access_token).users.getAuthenticated();
    expect(data.login).toBe("alice");

    // Codes are single-use.
    const again = (await (await exchange({ ...OAUTH_CLIENT_BODY(), code })).json()) as Record<string, string>;
    expect(again.error).toBe("bad_verification_code");
  });

  it("answers form-encoded without Accept: json, and takes client credentials by HTTP Basic", async () => {
    const code = (await authorize({ state: "s" })).searchParams.get("code")!;
    const basic = Buffer.from(`${OAUTH_CLIENT.clientId}:${OAUTH_CLIENT.clientSecret}`).toString("base64");
    const res = await exchange({ code, grant_type: "authorization_code" }, { authorization: `Basic ${basic}` });
    expect(res.headers.get("content-type")).toContain("application/x-www-form-urlencoded");
    const form = new URLSearchParams(await res.text());
    expect(form.get("access_token")).toMatch(/^gho_/);
    expect(form.get("token_type")).toBe("bearer");
  });

  it("reports GitHub's token errors with status 200", async () => {
    const bad = (await (await exchange({ ...OAUTH_CLIENT_BODY(), code: "0000" })).json()) as Record<string, string>;
    expect(bad).toMatchObject({ error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
    expect(bad.error_uri).toContain("#bad-verification-code");

    const code = (await authorize({})).searchParams.get("code")!;
    const wrong = (await (await exchange({ client_id: OAUTH_CLIENT.clientId, client_secret: "nope", code })).json()) as Record<string, string>;
    expect(wrong.error).toBe("incorrect_client_credentials");
  });

  it("lets the test choose who authorises (control API), else honours ?login=", async () => {
    const viaHint = (await authorize({ login: "carol" })).searchParams.get("code")!;
    const t1 = (await (await exchange({ ...OAUTH_CLIENT_BODY(), code: viaHint })).json()) as Record<string, string>;
    expect((await octokit(t1.access_token).users.getAuthenticated()).data.login).toBe("carol");

    const res = await fetch(`${gh.url}/_fake/authorize-as`, { method: "POST", body: JSON.stringify({ login: "bob" }) });
    expect(res.status).toBe(204);
    const code = (await authorize({ login: "carol" })).searchParams.get("code")!;
    const t2 = (await (await exchange({ ...OAUTH_CLIENT_BODY(), code })).json()) as Record<string, string>;
    expect((await octokit(t2.access_token).users.getAuthenticated()).data.login).toBe("bob");
  });

  it("redirects with access_denied once when told to, and with redirect_uri_mismatch for a foreign callback", async () => {
    gh.denyNextAuthorization();
    const denied = await authorize({ state: "s1" });
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("state")).toBe("s1");
    expect((await authorize({})).searchParams.get("code")).toBeTruthy();

    const mismatch = await authorize({ redirect_uri: "http://evil.example/cb", state: "s2" });
    expect(mismatch.origin).toBe("http://127.0.0.1:3000");
    expect(mismatch.searchParams.get("error")).toBe("redirect_uri_mismatch");
  });

  it("checks PKCE (S256) when the authorisation carried a code_challenge", async () => {
    const verifier = "a".repeat(50);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const code = (await authorize({ code_challenge: challenge, code_challenge_method: "S256" })).searchParams.get("code")!;
    const wrong = (await (await exchange({ ...OAUTH_CLIENT_BODY(), code, code_verifier: "b".repeat(50) })).json()) as Record<string, string>;
    expect(wrong.error).toBe("bad_verification_code");
    const code2 = (await authorize({ code_challenge: challenge, code_challenge_method: "S256" })).searchParams.get("code")!;
    const ok = (await (await exchange({ ...OAUTH_CLIENT_BODY(), code: code2, code_verifier: verifier })).json()) as Record<string, string>;
    expect(ok.access_token).toMatch(/^gho_/);
  });
});

function OAUTH_CLIENT_BODY() {
  return { client_id: OAUTH_CLIENT.clientId, client_secret: OAUTH_CLIENT.clientSecret };
}

describe("user token endpoints (Octokit)", () => {
  it.each([
    ["root", () => gh.url],
    ["GHES /api/v3", () => gh.apiUrl],
  ])("GET /user at the %s layout, with GitHub's headers", async (_name, base) => {
    const token = gh.issueUserToken("alice", { scopes: ["read:user", "user:email"] });
    const res = await octokit(token, base()).users.getAuthenticated();
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ login: "alice", id: 101, name: "Alice Admin", email: "alice@example.com", type: "User" });
    expect(res.data.url).toBe(`${base()}/users/alice`);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.headers["x-github-request-id"]).toMatch(/^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{6}:[0-9A-F]{6}:[0-9A-F]{8}$/);
    expect(res.headers["x-ratelimit-limit"]).toBe("5000");
    expect(Number(res.headers["x-ratelimit-remaining"])).toBeLessThan(5000);
    expect(res.headers["x-ratelimit-used"]).toBeDefined();
    expect(res.headers["x-ratelimit-resource"]).toBe("core");
    expect(Number(res.headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000);
    expect(res.headers["x-oauth-scopes"]).toBe("read:user, user:email");
  });

  it("401s bad and missing credentials like GitHub", async () => {
    const bad = await httpError(octokit("gho_notarealtoken").users.getAuthenticated());
    expect(bad.status).toBe(401);
    expect(bad.response?.data).toEqual({ message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    const none = await httpError(octokit().users.getAuthenticated());
    expect(none.status).toBe(401);
    expect(none.response?.data.message).toBe("Requires authentication");
  });

  it("lists emails (primary first), orgs, and the caller's org membership", async () => {
    const bob = octokit(gh.issueUserToken("bob"));
    const emails = (await bob.users.listEmailsForAuthenticatedUser()).data;
    expect(emails.find((e) => e.primary)?.email).toBe("102+bob@users.noreply.127.0.0.1");
    expect((await bob.orgs.listForAuthenticatedUser()).data.map((o) => o.login)).toEqual(["ossci"]);
    const m = (await bob.orgs.getMembershipForAuthenticatedUser({ org: "ossci" })).data;
    expect(m).toMatchObject({ state: "active", role: "member", organization: { login: "ossci" }, user: { login: "bob" } });
    expect((await httpError(bob.orgs.getMembershipForAuthenticatedUser({ org: "other-org" }))).status).toBe(404);
  });

  it("checks org membership with 204/404, and sends non-members through the 302 to public_members", async () => {
    const alice = octokit(gh.issueUserToken("alice"));
    expect((await alice.orgs.checkMembershipForUser({ org: "ossci", username: "bob" })).status).toBe(204);
    const notMember = await httpError(alice.orgs.checkMembershipForUser({ org: "ossci", username: "carol" }));
    expect(notMember.status).toBe(404);
    expect(notMember.response?.data.message).toBe("User does not exist or is not a member of the organization");

    // carol is outside the org: GitHub answers 302 → /public_members/…, which fetch follows (bob is not public).
    const carol = octokit(gh.issueUserToken("carol"));
    expect((await httpError(carol.orgs.checkMembershipForUser({ org: "ossci", username: "bob" }))).status).toBe(404);
    expect(gh.requests().some((r) => r.path === "/orgs/ossci/members/bob" && r.status === 302)).toBe(true);
  });

  it("reports team membership", async () => {
    const bob = octokit(gh.issueUserToken("bob"));
    const { data } = await bob.teams.getMembershipForUserInOrg({ org: "ossci", team_slug: "arc-reviewers", username: "bob" });
    expect(data).toMatchObject({ state: "active", role: "member" });
    expect((await httpError(bob.teams.getMembershipForUserInOrg({ org: "ossci", team_slug: "arc-reviewers", username: "alice" }))).status).toBe(404);
    expect((await httpError(bob.teams.getMembershipForUserInOrg({ org: "ossci", team_slug: "nope", username: "bob" }))).status).toBe(404);
  });

  it("reports repository permission: org owner admin, member read, outsider none", async () => {
    const alice = octokit(gh.issueUserToken("alice"));
    const perm = (username: string) => alice.repos.getCollaboratorPermissionLevel({ owner: "ossci", repo: "covered", username });
    expect((await perm("alice")).data).toMatchObject({ permission: "admin", role_name: "admin", user: { login: "alice", permissions: { admin: true } } });
    expect((await perm("bob")).data).toMatchObject({ permission: "read", role_name: "read" });
    expect((await perm("carol")).data).toMatchObject({ permission: "none", role_name: "" });
    // A private repository is invisible (404) to someone without access.
    const carol = octokit(gh.issueUserToken("carol"));
    expect((await httpError(carol.repos.get({ owner: "ossci", repo: "uncovered" }))).status).toBe(404);
    expect((await alice.repos.get({ owner: "ossci", repo: "uncovered" })).data.permissions?.admin).toBe(true);
  });

  it("shows a private repository to an OAuth token only with the repo scope; an installation covering it sees it and anyone's permission", async () => {
    gh.addRepo("ossci", "secret", { private: true, writers: ["bob"], customRoles: [{ login: "carol", name: "ci-runner", base: "write" }] });
    gh.state.installations.get(777)!.repositories.push("secret");
    const signIn = octokit(gh.issueUserToken("alice", { scopes: ["read:user", "user:email", "read:org"] }));
    expect((await httpError(signIn.repos.get({ owner: "ossci", repo: "secret" }))).status).toBe(404);
    expect((await httpError(signIn.repos.getCollaboratorPermissionLevel({ owner: "ossci", repo: "secret", username: "bob" }))).status).toBe(404);
    const withRepo = octokit(gh.issueUserToken("alice", { scopes: ["repo"] }));
    expect((await withRepo.repos.get({ owner: "ossci", repo: "secret" })).data).toMatchObject({ private: true, visibility: "private" });

    // A token narrowed to metadata can read the repository and permissions, and nothing else.
    const inst = octokit(await installationToken(777, { permissions: { metadata: "read" } }));
    expect((await inst.repos.get({ owner: "ossci", repo: "secret" })).data.full_name).toBe("ossci/secret");
    const perm = await inst.repos.getCollaboratorPermissionLevel({ owner: "ossci", repo: "secret", username: "bob" });
    expect(perm.data).toMatchObject({ permission: "write", role_name: "write", user: { login: "bob", permissions: { push: true, admin: false } } });
    expect((await inst.repos.getCollaboratorPermissionLevel({ owner: "ossci", repo: "secret", username: "carol" })).data).toMatchObject({
      permission: "write",
      role_name: "ci-runner",
      user: { permissions: { push: true, maintain: false } },
    });
    expect((await inst.repos.getCollaboratorPermissionLevel({ owner: "ossci", repo: "secret", username: "alice" })).data).toMatchObject({
      permission: "admin",
      role_name: "admin",
    });
    gh.addUser({ login: "nobody" });
    expect((await inst.repos.getCollaboratorPermissionLevel({ owner: "ossci", repo: "secret", username: "nobody" })).data).toMatchObject({
      permission: "none",
      role_name: "",
    });
    expect((await httpError(inst.actions.listSelfHostedRunnersForRepo({ owner: "ossci", repo: "secret" }))).status).toBe(403);
    // Outside the installation's selected repositories: 404, as for a repository that does not exist.
    expect((await httpError(inst.repos.get({ owner: "ossci", repo: "uncovered" }))).status).toBe(404);
    expect((await httpError(inst.repos.getCollaboratorPermissionLevel({ owner: "ossci", repo: "uncovered", username: "bob" }))).status).toBe(404);
  });
});

describe("GitHub App (JWT) endpoints", () => {
  it("GET /app with a JWT whose iss is the app ID or the client ID", async () => {
    const byId = await octokit(appJwt()).apps.getAuthenticated();
    expect(byId.data).toMatchObject({ id: APP_ID, client_id: APP_CLIENT_ID, slug: "arc-runner-portal-test", owner: { login: "ossci" } });
    const byClientId = await octokit(appJwt({ issuer: APP_CLIENT_ID }), gh.apiUrl).apps.getAuthenticated();
    expect(byClientId.data?.id).toBe(APP_ID);
  });

  it("rejects a JWT signed with the wrong key, an unknown issuer, bad times, and non-JWT credentials", async () => {
    const wrongKey = await httpError(octokit(appJwt({ privateKeyPem: otherKey.privateKeyPem })).apps.getAuthenticated());
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.response?.data.message).toBe("A JSON web token could not be decoded");

    const unknown = await httpError(octokit(appJwt({ issuer: 999999 })).apps.getAuthenticated());
    expect(unknown.status).toBe(404);
    expect(unknown.response?.data.message).toBe("Integration not found");

    const now = Math.floor(Date.now() / 1000);
    const expired = await httpError(octokit(appJwt({ iat: now - 700, exp: now - 100 })).apps.getAuthenticated());
    expect(expired.status).toBe(401);
    expect(expired.response?.data.message).toContain("'Expiration time' claim ('exp') must be a numeric value");

    const tooLong = await httpError(octokit(appJwt({ iat: now, exp: now + 3600 })).apps.getAuthenticated());
    expect(tooLong.response?.data.message).toBe("'Expiration time' claim ('exp') is too far in the future");

    const userToken = await httpError(octokit(gh.issueUserToken("alice")).apps.getAuthenticated());
    expect(userToken.status).toBe(401);
    expect(userToken.response?.data.message).toBe("A JSON web token could not be decoded");
  });

  it("finds installations by org, user and repository; a repository it does not cover is 404", async () => {
    const app = octokit(appJwt());
    const org = (await app.apps.getOrgInstallation({ org: "ossci" })).data;
    expect(org).toMatchObject({
      id: 777,
      app_id: APP_ID,
      app_slug: "arc-runner-portal-test",
      target_type: "Organization",
      repository_selection: "selected",
      account: { login: "ossci" },
      permissions: { administration: "write", organization_self_hosted_runners: "write", metadata: "read" },
    });
    expect(org.access_tokens_url).toBe(`${gh.url}/app/installations/777/access_tokens`);
    expect((await app.apps.getRepoInstallation({ owner: "ossci", repo: "covered" })).data.id).toBe(777);
    expect((await app.apps.getUserInstallation({ username: "carol" })).data).toMatchObject({ id: 778, target_type: "User" });
    expect((await app.apps.getInstallation({ installation_id: 778 })).data.account).toMatchObject({ login: "carol" });
    expect((await app.apps.listInstallations()).data.map((i) => i.id)).toEqual([777, 778]);

    const uncovered = await httpError(app.apps.getRepoInstallation({ owner: "ossci", repo: "uncovered" }));
    expect(uncovered.status).toBe(404);
    expect(uncovered.response?.data).toMatchObject({ message: "Not Found", documentation_url: expect.stringContaining("docs.github.com/rest/apps") });
    expect((await httpError(app.apps.getOrgInstallation({ org: "other-org" }))).status).toBe(404);
  });

  it("creates installation access tokens that then list the covered repositories", async () => {
    const res = await octokit(appJwt()).apps.createInstallationAccessToken({ installation_id: 777 });
    expect(res.status).toBe(201);
    expect(res.data.token).toMatch(/^ghs_\w{36}$/);
    expect(res.data.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const ttl = Date.parse(res.data.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(59 * 60 * 1000);
    expect(res.data).toMatchObject({ repository_selection: "selected", permissions: { administration: "write" } });
    expect(res.data.repositories?.map((r) => r.full_name)).toEqual(["ossci/covered"]);

    const inst = octokit(res.data.token);
    const repos = (await inst.apps.listReposAccessibleToInstallation()).data;
    expect(repos.total_count).toBe(1);
    expect(repos.repositories[0]?.full_name).toBe("ossci/covered");
    // An installation token is not a user token.
    expect((await httpError(inst.users.getAuthenticated())).status).toBe(403);
  });

  it("refuses to narrow a token to repositories or permissions the installation lacks (422)", async () => {
    const app = octokit(appJwt());
    const repo = await httpError(app.apps.createInstallationAccessToken({ installation_id: 777, repositories: ["uncovered"] }));
    expect(repo.status).toBe(422);
    const perm = await httpError(app.apps.createInstallationAccessToken({ installation_id: 778, permissions: { administration: "write" } }));
    expect(perm.status).toBe(422);
    expect((await httpError(app.apps.createInstallationAccessToken({ installation_id: 1 }))).status).toBe(404);
  });
});

describe("self-hosted runners", () => {
  it("lists organisation runners for an installation with organization_self_hosted_runners", async () => {
    const inst = octokit(await installationToken(777));
    const { data } = await inst.actions.listSelfHostedRunnersForOrg({ org: "ossci" });
    expect(data.total_count).toBe(2);
    expect(data.runners[0]).toMatchObject({
      id: 1,
      name: "mi300-cluster-abc12",
      os: "Linux",
      status: "online",
      busy: true,
      labels: [{ name: "mi300-cluster", type: "custom", id: expect.any(Number) }],
    });
    const named = await inst.actions.listSelfHostedRunnersForOrg({ org: "ossci", name: "mi300-cluster-def34" });
    expect(named.data.runners.map((r) => r.status)).toEqual(["offline"]);
  });

  it("paginates with Link headers that octokit.paginate follows", async () => {
    for (let i = 0; i < 5; i++) gh.addRunner("ossci", { name: `extra-${i}`, status: "online", busy: false, labels: ["x"] });
    const inst = octokit(await installationToken(777));
    const first = await inst.actions.listSelfHostedRunnersForOrg({ org: "ossci", per_page: 3 });
    expect(first.headers.link).toContain('rel="next"');
    const all = await inst.paginate(inst.actions.listSelfHostedRunnersForOrg, { org: "ossci", per_page: 3 });
    expect(all).toHaveLength(7);
  });

  it("lists repository runners; labels GitHub adds itself are read-only", async () => {
    const inst = octokit(await installationToken(777));
    const { data } = await inst.actions.listSelfHostedRunnersForRepo({ owner: "ossci", repo: "covered" });
    expect(data.runners[0]?.labels).toEqual([
      { id: expect.any(Number), name: "self-hosted", type: "read-only" },
      { id: expect.any(Number), name: "linux-mi300-gpu-1", type: "custom" },
    ]);
    expect((await httpError(inst.actions.listSelfHostedRunnersForRepo({ owner: "ossci", repo: "uncovered" }))).status).toBe(404);
  });

  it("403s an installation without the administration permission, naming it in x-accepted-github-permissions", async () => {
    gh.addRunner("carol/personal", { name: "r", status: "online", busy: false, labels: [] });
    const inst = octokit(await installationToken(778));
    const err = await httpError(inst.actions.listSelfHostedRunnersForRepo({ owner: "carol", repo: "personal" }));
    expect(err.status).toBe(403);
    expect(err.response?.data.message).toBe("Resource not accessible by integration");
    expect(err.response?.headers["x-accepted-github-permissions"]).toBe("administration=read");
  });

  it("lets org owners list runners with a user token, and 403s plain members", async () => {
    const alice = octokit(gh.issueUserToken("alice"));
    expect((await alice.actions.listSelfHostedRunnersForOrg({ org: "ossci" })).data.total_count).toBe(2);
    const bob = octokit(gh.issueUserToken("bob"));
    const err = await httpError(bob.actions.listSelfHostedRunnersForOrg({ org: "ossci" }));
    expect(err.status).toBe(403);
    expect(err.response?.data.message).toBe("Must have admin rights to Repository.");
  });
});

describe("fault injection", () => {
  it("answers the next matching request with a 5xx, then recovers", async () => {
    gh.failNext("GET /app", { status: 502 });
    const err = await httpError(octokit(appJwt()).apps.getAuthenticated());
    expect(err.status).toBe(502);
    expect(err.response?.headers["x-github-request-id"]).toBeTruthy();
    expect(err.response?.data.message).toBe("Server Error");
    expect((await octokit(appJwt()).apps.getAuthenticated()).status).toBe(200);
  });

  it("matches route templates and '*', for a number of times", async () => {
    gh.failNext("/orgs/{org}/installation", { status: 500 });
    gh.failNext("*", { status: 503 }, { times: 2 });
    const app = octokit(appJwt());
    expect((await httpError(app.apps.getOrgInstallation({ org: "ossci" }))).status).toBe(500);
    expect((await httpError(app.apps.getAuthenticated())).status).toBe(503);
    expect((await httpError(app.apps.getAuthenticated())).status).toBe(503);
    expect((await app.apps.getAuthenticated()).status).toBe(200);
  });

  it("answers a primary rate limit like GitHub: 403, remaining 0, reset in the future", async () => {
    gh.failNext("/orgs/{org}/installation", { rateLimited: true, resetInSeconds: 120 });
    const err = await httpError(octokit(appJwt()).apps.getOrgInstallation({ org: "ossci" }));
    expect(err.status).toBe(403);
    const h = err.response!.headers;
    expect(h["x-ratelimit-remaining"]).toBe("0");
    expect(h["x-ratelimit-used"]).toBe(h["x-ratelimit-limit"]);
    const reset = Number(h["x-ratelimit-reset"]);
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 118);
    expect(reset).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 121);
    expect(err.response?.data.message).toBe(`API rate limit exceeded for app ID ${APP_ID}.`);
  });

  it("answers a secondary rate limit with 429 and retry-after", async () => {
    gh.failNext("GET /user", { rateLimited: true, secondary: true, status: 429, resetInSeconds: 30 });
    const err = await httpError(octokit(gh.issueUserToken("bob"), gh.apiUrl).users.getAuthenticated());
    expect(err.status).toBe(429);
    expect(err.response?.headers["retry-after"]).toBe("30");
    expect(err.response?.data.message).toMatch(/^You have exceeded a secondary rate limit/);
  });

  it("can drop the connection, which Octokit reports as a request error", async () => {
    gh.failNext("*", { drop: true });
    const err = await httpError(octokit(appJwt()).apps.getAuthenticated());
    expect(err.status).toBe(500);
    expect(err.response).toBeUndefined();
  });
});

describe("routing and the control API", () => {
  it("answers unknown routes with GitHub's 404 body, at both layouts", async () => {
    for (const base of [gh.url, gh.apiUrl]) {
      const res = await fetch(`${base}/no/such/route`);
      expect(res.status).toBe(404);
      expect(res.headers.get("x-ratelimit-limit")).toBeTruthy();
      expect(await res.json()).toEqual({ message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
    }
    // OAuth pages are at the host root, not under /api/v3.
    expect((await fetch(`${gh.apiUrl}/login/oauth/authorize`, { redirect: "manual" })).status).toBe(404);
  });

  it("seeds, queues faults, mints tokens and resets over HTTP", async () => {
    const post = (p: string, body: unknown) =>
      fetch(`${gh.url}/_fake/${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post("reset", { empty: true })).status).toBe(204);
    expect(gh.state.users.size).toBe(0);

    const seeded = await post("seed", {
      users: [{ login: "dave" }],
      orgs: [{ login: "acme", members: [{ login: "dave", role: "admin" }], teams: [{ slug: "ops", members: ["dave"] }] }],
      apps: [{ id: 5, clientId: "Iv1.five", slug: "five", publicKeyPem: appKey.publicKeyPem }],
      installations: [{ id: 50, appId: 5, account: "acme", repositorySelection: "all", permissions: { organization_self_hosted_runners: "read" } }],
      tokens: [{ token: "gho_fixedtokenfore2e", login: "dave" }],
    });
    expect(seeded.status).toBe(200);
    expect(((await seeded.json()) as { users: unknown[] }).users).toHaveLength(1);
    expect((await octokit("gho_fixedtokenfore2e").users.getAuthenticated()).data.login).toBe("dave");

    const invalid = await post("seed", { users: [{ login: "x", nmae: "typo" }] });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: string }).error).toContain("nmae");

    expect((await post("fail-next", { route: "GET /user", status: 503 })).status).toBe(204);
    expect((await httpError(octokit("gho_fixedtokenfore2e").users.getAuthenticated())).status).toBe(503);

    const minted = await post("tokens", { login: "dave", scopes: ["read:org"] });
    expect(minted.status).toBe(201);
    const { token } = (await minted.json()) as { token: string };
    expect((await octokit(token).orgs.getMembershipForAuthenticatedUser({ org: "acme" })).data.role).toBe("admin");

    const log = (await (await fetch(`${gh.url}/_fake/requests`)).json()) as Array<{ path: string; status: number }>;
    expect(log.some((r) => r.path === "/user" && r.status === 503)).toBe(true);
  });
});

describe("CLI (main.ts)", () => {
  it("starts on the given port with a seed file, logs each request, and stops on SIGTERM", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "github-fake-"));
    writeFileSync(path.join(dir, "app.pem"), appKey.publicKeyPem);
    writeFileSync(
      path.join(dir, "seed.json"),
      JSON.stringify({
        users: [{ login: "erin", id: 7 }],
        apps: [{ id: 9, clientId: "Iv1.nine", slug: "nine", publicKeyPath: "app.pem" }],
      }),
    );
    const tsx = path.resolve(here, "../../node_modules/tsx/dist/cli.mjs");
    const child = spawn(process.execPath, [tsx, path.join(here, "main.ts"), path.join(dir, "seed.json")], {
      env: { ...process.env, GITHUB_FAKE_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const first = (await lines.next()).value as string;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(first)?.[1];
      expect(url, first).toBeTruthy();
      const token = await (await fetch(`${url}/_fake/tokens`, { method: "POST", body: JSON.stringify({ login: "erin" }) })).json();
      const me = await octokit((token as { token: string }).token, url!).users.getAuthenticated();
      expect(me.data.id).toBe(7);
      const app = await octokit(signAppJwt({ issuer: 9, privateKeyPem: appKey.privateKeyPem }), url!).apps.getAuthenticated();
      expect(app.data?.slug).toBe("nine");
      // One log line per request: the control call, then /user, then /app.
      const logged = [(await lines.next()).value, (await lines.next()).value, (await lines.next()).value] as string[];
      expect(logged[1]).toMatch(/ GET \/user 200 /);
      expect(logged[2]).toMatch(/ GET \/app 200 /);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    expect(child.exitCode === 0 || child.signalCode === "SIGTERM").toBe(true);
  }, 30_000);
});
