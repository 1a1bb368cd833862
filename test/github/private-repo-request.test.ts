// A request for a private repository, end to end below the browser: the requester signed in
// with GitHub (no `repo` scope), the form's key checks their standing through the App's
// installation at submit; after provisioning, a re-check and a change request read the key
// from the cluster Secret. No installation token or key ends up in the database or stays
// valid on GitHub.
import { createPublicKey, randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { HttpError } from "@/lib/http-errors";
import { startGitHubServer, type GitHubServer } from "@/test/github-server/server";
import { PORTAL_APP, seedPortalWorld } from "@/test/harness/github-world";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { setEnv } from "@/test/harness/set-env";
import { requestBody, snapshot, testPem } from "@/test/requests/fixtures";

const INSTALLATION_ID = 5150;
const SIGN_IN_SCOPES = ["read:user", "user:email", "read:org"];
const s = randomBytes(3).toString("hex");
const org = `private-org-${s}`;
const login = { writer: `wendy-${s}`, reader: `rita-${s}` };

let gh: GitHubServer;
let cluster: KubeCluster;
let restoreEnv: () => void;

beforeAll(async () => {
  [gh, cluster] = await Promise.all([startGitHubServer(), startKube()]);
  seedPortalWorld(gh, createPublicKey(testPem).export({ type: "spki", format: "pem" }).toString());
  for (const l of Object.values(login)) gh.addUser({ login: l });
  gh.addOrg(org);
  gh.addRepo(org, "engine", { private: true, writers: [login.writer], readers: [login.reader] });
  gh.addRepo(org, "vault", { private: true, writers: [login.writer] });
  gh.addInstallation({
    id: INSTALLATION_ID,
    appId: PORTAL_APP.id,
    account: org,
    repositorySelection: "selected",
    repositories: ["engine"],
    permissions: { administration: "write" },
  });
  restoreEnv = setEnv({ GITHUB_API_URL: gh.url, KUBECONFIG: cluster.kubeconfigPath, LOG_LEVEL: "warn" });
}, 180_000);

afterAll(async () => {
  restoreEnv?.();
  await Promise.all([gh?.close(), cluster?.stop()]);
});

/** A requester who signed in with GitHub: their sign-in token stored sealed, as next-auth leaves it. */
async function gitHubRequester(githubLogin: string): Promise<Actor> {
  const { db } = await import("@/lib/db");
  const { sealAccountTokens } = await import("@/lib/auth/sealed-adapter");
  const token = gh.issueUserToken(githubLogin, { scopes: SIGN_IN_SCOPES });
  const team = await db.team.upsert({ where: { slug: "private-team" }, update: {}, create: { slug: "private-team", name: "private-team" } });
  const user = await db.user.create({
    data: {
      login: githubLogin,
      githubId: gh.state.users.get(githubLogin)!.id,
      role: "REQUESTER",
      memberships: { create: { teamId: team.id } },
      accounts: {
        create: { provider: "github", type: "oauth", providerAccountId: String(gh.state.users.get(githubLogin)!.id), ...sealAccountTokens({ access_token: token }) },
      },
    },
  });
  return { id: user.id, login: githubLogin, name: null, role: "REQUESTER", teamIds: [team.id] };
}

const privateBody = (repo: string) =>
  requestBody({
    team: "private-team",
    githubConfigUrl: `https://github.com/${org}/${repo}`,
    githubApp: { appId: String(PORTAL_APP.id), installationId: String(INSTALLATION_ID), privateKey: testPem },
  });

async function rejection(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

/** Every row of the database as text, to look for secrets in it. */
async function wholeDatabase(): Promise<string> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    const text: string[] = [];
    for (const t of ["RunnerRequest", "RequestEvent", "Account", "User"]) {
      const { rows } = await c.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${t}" x`);
      text.push(...rows.map((r) => r.j));
    }
    return text.join("\n");
  } finally {
    await c.end();
  }
}

const liveInstallationTokens = () => [...gh.state.tokens.values()].filter((t) => t.kind === "installation");

describe("a request for a private repository", () => {
  let writer: Actor;
  let reader: Actor;
  beforeAll(async () => {
    writer = await gitHubRequester(login.writer);
    reader = await gitHubRequester(login.reader);
  });

  it("passes for a requester with write access, and keeps no token or key in the clear", async () => {
    const { createRequest } = await import("@/lib/requests/create");
    const { db } = await import("@/lib/db");
    const { id } = await createRequest(writer, privateBody("engine"), "submit");
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("SUBMITTED");
    expect(row.githubCheck).toMatchObject({
      credentials: { status: "ok" },
      standing: { status: "ok", message: `GitHub says @${login.writer} has \`write\` access to the private repository \`${org}/engine\` (asked through installation ${INSTALLATION_ID}).` },
    });
    // The person's own token could not see it: the installation was asked.
    expect(gh.requests().some((q) => q.method === "GET" && q.path === `/repos/${org}/engine/collaborators/${login.writer}/permission` && q.status === 200)).toBe(true);
    const everything = await wholeDatabase();
    expect(everything).not.toMatch(/gh[so]_[A-Za-z0-9]{36}/);
    expect(everything).not.toContain("PRIVATE KEY");
    expect(liveInstallationTokens()).toEqual([]);
  });

  it("refuses a requester with read access, saying so on the URL, and writes nothing", async () => {
    const { createRequest } = await import("@/lib/requests/create");
    const before = await snapshot();
    const err = await rejection(createRequest(reader, privateBody("engine"), "submit"));
    expect(err.status).toBe(422);
    expect(err.fieldErrors?.githubConfigUrl?.[0]).toMatch(new RegExp(`^GitHub says @${login.reader} has only read access to \`${org}/engine\`\\.`));
    expect(err.fieldErrors?.["githubApp.installationId"]).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a repository outside the installation: the installation does not cover it", async () => {
    const { createRequest } = await import("@/lib/requests/create");
    const before = await snapshot();
    const err = await rejection(createRequest(writer, privateBody("vault"), "submit"));
    expect(err.status).toBe(422);
    expect(err.fieldErrors?.githubConfigUrl?.[0]).toMatch(new RegExp(`^GitHub says the App's installation does not cover \`${org}/vault\``));
    expect(await snapshot()).toEqual(before);
    expect(liveInstallationTokens()).toEqual([]);
  });

  it("re-checks after provisioning (as the requester, whoever asks) and takes a change request, with the key read from the cluster Secret", async () => {
    const { db } = await import("@/lib/db");
    const { createRequest } = await import("@/lib/requests/create");
    const { recheckGitHub } = await import("@/lib/requests/recheck");
    const { renderRequestArtifacts } = await import("@/lib/requests/render");
    const { getRequest } = await import("@/lib/requests/queries");
    const { defaultKube } = await import("@/lib/kube/client");
    const { id } = await createRequest(writer, privateBody("engine"), "submit");
    // What provisioning leaves: the key in the cluster Secret only.
    const submitted = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    await db.runnerRequest.update({ where: { id }, data: { status: "READY", approvedSpec: submitted.spec as object, privateKeyCiphertext: null } });
    const r = await getRequest(writer, id);
    const kube = defaultKube()!;
    await kube.core.createNamespace({ body: { metadata: { name: r.namespace } } });

    const reviewerRow = await db.user.create({ data: { login: `rev-${s}`, role: "REVIEWER" } });
    const reviewer: Actor = { id: reviewerRow.id, login: reviewerRow.login, name: null, role: "REVIEWER", teamIds: [] };
    // No Secret yet: a clear 409, nothing asked of GitHub.
    const missing = await rejection(recheckGitHub(reviewer, id));
    expect(missing.status).toBe(409);
    expect(missing.message).toMatch(/^The private key is no longer held by the portal, and it could not be read from the cluster either: Could not read the App key from the cluster/);

    const secretName = (await renderRequestArtifacts(r)).secretName;
    await kube.core.createNamespacedSecret({
      namespace: r.namespace,
      body: { metadata: { name: secretName }, stringData: { github_app_id: String(PORTAL_APP.id), github_app_installation_id: String(INSTALLATION_ID), github_app_private_key: testPem } },
    });
    const minted = gh.requests().filter((q) => q.method === "POST" && q.path.endsWith("/access_tokens")).length;
    const check = await recheckGitHub(reviewer, id);
    expect(check.credentials?.status).toBe("ok");
    expect(check.standing).toMatchObject({ status: "ok", message: expect.stringMatching(new RegExp(`^GitHub says @${login.writer} has \`write\``)) });
    expect(gh.requests().filter((q) => q.method === "POST" && q.path.endsWith("/access_tokens")).length).toBeGreaterThan(minted);
    expect(liveInstallationTokens()).toEqual([]);
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    expect(row.privateKeyCiphertext).toBeNull();
    expect(JSON.stringify(row)).not.toContain("PRIVATE KEY");
    expect(await wholeDatabase()).not.toMatch(/gh[so]_[A-Za-z0-9]{36}/);

    // A change request without the key again: the standing is asked with the Secret's key.
    const { editRequest } = await import("@/lib/requests/edit");
    const body = { ...(submitted.spec as object), githubApp: { appId: String(PORTAL_APP.id), installationId: String(INSTALLATION_ID), privateKey: "" } };
    const changed = await editRequest(writer, id, { ...body, maxRunners: 5, version: row.version });
    expect(changed.githubCheck).toMatchObject({ credentials: null, standing: { status: "ok", message: expect.stringMatching(/has `write` access to the private repository/) } });
    expect(liveInstallationTokens()).toEqual([]);
  });
});
