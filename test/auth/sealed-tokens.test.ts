// GitHub OAuth tokens at rest: next-auth's adapter (as the portal wires it) and every sign-in
// store them sealed with ENCRYPTION_KEY, the requester-standing check opens them, tokens
// stored before sealing still work and are sealed at first use, and key rotation covers them.
import { randomBytes, randomInt } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { open, seal } from "@/lib/crypto/aes-gcm";
import type { GitHubServer } from "@/test/github-server/server";
import { setEnv } from "@/test/harness/set-env";
import { startWorld } from "@/test/github/world";

let gh: GitHubServer;
let restoreEnv: () => void;
const unique = () => randomBytes(4).toString("hex");

beforeAll(async () => {
  gh = await startWorld();
  restoreEnv = setEnv({ GITHUB_API_URL: gh.url, REVIEWER_TEAM: "", ADMIN_LOGINS: "", REVIEWER_LOGINS: "" });
});

afterAll(async () => {
  restoreEnv();
  await gh.close();
});

/** The Account row as PostgreSQL holds it, read with plain SQL. */
async function rawAccount(userId: string) {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    const { rows } = await c.query(`SELECT access_token, refresh_token, id_token, row_to_json(a)::text AS whole FROM "Account" a WHERE "userId" = $1`, [userId]);
    return rows[0] as { access_token: string | null; refresh_token: string | null; id_token: string | null; whole: string };
  } finally {
    await c.end();
  }
}

/** What next-auth's OAuth callback does for a first sign-in: the adapter creates the user and links the account, then the signIn event. */
async function firstSignIn(login: string, token: string, refresh?: string) {
  const { authOptions } = await import("@/lib/auth/options");
  const options = authOptions();
  const ghUser = gh.state.users.get(login)!;
  const adapter = options.adapter!;
  const user = await adapter.createUser!({ login, name: login, email: null, emailVerified: null, image: null, githubId: ghUser.id } as never);
  const account = {
    provider: "github",
    type: "oauth" as const,
    providerAccountId: String(ghUser.id),
    userId: user.id,
    access_token: token,
    token_type: "bearer",
    scope: "read:user,user:email,read:org",
    ...(refresh ? { refresh_token: refresh } : {}),
  };
  await adapter.linkAccount!(account);
  const profile = { id: ghUser.id, login, name: login, email: null, avatar_url: "" };
  await options.events!.signIn!({ user, account, profile: profile as never, isNewUser: true });
  return user;
}

describe("the Account row after a GitHub sign-in", () => {
  it("holds no plaintext token, and the standing check still asks GitHub as the person", async () => {
    const { ENCRYPTION_KEY } = process.env;
    const token = gh.issueUserToken("bob");
    const refresh = `ghr_${unique()}${unique()}`;
    const user = await firstSignIn("bob", token, refresh);

    const row = await rawAccount(user.id);
    expect(row.whole).not.toContain(token);
    expect(row.whole).not.toContain(refresh);
    expect(row.access_token).toMatch(/^v1:/);
    expect(open(row.access_token!, ENCRYPTION_KEY!)).toBe(token);
    expect(open(row.refresh_token!, ENCRYPTION_KEY!)).toBe(refresh);

    // A later sign-in's token replaces it, sealed too.
    const { authOptions } = await import("@/lib/auth/options");
    const second = gh.issueUserToken("bob");
    const account = { provider: "github", type: "oauth" as const, providerAccountId: String(gh.state.users.get("bob")!.id), access_token: second };
    await authOptions().events!.signIn!({ user, account, profile: { id: 102, login: "bob", name: "Bob", email: null, avatar_url: "" } as never, isNewUser: false });
    const after = await rawAccount(user.id);
    expect(after.whole).not.toContain(second);
    expect(open(after.access_token!, ENCRYPTION_KEY!)).toBe(second);

    const { runGitHubCheck } = await import("@/lib/requests/github-checks");
    const actor = { id: user.id, login: "bob", name: null, role: "REQUESTER" as const, teamIds: [] };
    const check = await runGitHubCheck(actor, { appId: null, installationId: null, githubConfigUrl: "https://github.com/ossci" }, null);
    expect(check.standing).toEqual({ status: "ok", ok: true, message: "GitHub lists you (`bob`) as a member of `ossci`." });
  });

  it("reads a token stored before sealing, and seals it on that first use", async () => {
    const { db } = await import("@/lib/db");
    const { userGitHubToken } = await import("@/lib/github/user-token");
    const token = gh.issueUserToken("alice");
    const id = unique();
    const user = await db.user.create({
      data: { login: `legacy-${id}`, githubId: randomInt(1_000_000, 2_000_000_000), accounts: { create: { provider: "github", type: "oauth", providerAccountId: `legacy-${id}`, access_token: token } } },
    });
    expect((await rawAccount(user.id)).access_token).toBe(token);
    expect(await userGitHubToken(user.id)).toBe(token);
    const row = await rawAccount(user.id);
    expect(row.whole).not.toContain(token);
    expect(open(row.access_token!, process.env.ENCRYPTION_KEY!)).toBe(token);
    expect(await userGitHubToken(user.id)).toBe(token);
  });

  it("treats a token sealed under another key as none: the person is asked to sign in again", async () => {
    const { db } = await import("@/lib/db");
    const { userGitHubToken } = await import("@/lib/github/user-token");
    const id = unique();
    const foreign = seal("gho_other", randomBytes(32).toString("base64"));
    const user = await db.user.create({
      data: { login: `lost-${id}`, accounts: { create: { provider: "github", type: "oauth", providerAccountId: `lost-${id}`, access_token: foreign } } },
    });
    expect(await userGitHubToken(user.id)).toBeNull();
    expect((await rawAccount(user.id)).access_token).toBe(foreign);
    // Left alone here; it would stop a key rotation (below), as any ciphertext neither key opens does.
    await db.account.deleteMany({ where: { userId: user.id } });
  });
});

describe("rotating ENCRYPTION_KEY", () => {
  it("re-seals sign-in tokens and kubeconfigs with the private keys, and seals plaintext tokens left from before", async () => {
    const { db } = await import("@/lib/db");
    const { rotateEncryptionKey } = await import("@/lib/crypto/rotate-key");
    const OLD = process.env.ENCRYPTION_KEY!;
    const NEW = randomBytes(32).toString("base64");
    const id = unique();
    const sealedUser = await db.user.create({
      data: { login: `rot-${id}`, accounts: { create: { provider: "github", type: "oauth", providerAccountId: `rot-${id}`, access_token: seal("gho_sealed", OLD), refresh_token: seal("ghr_sealed", OLD) } } },
    });
    const plainUser = await db.user.create({
      data: { login: `rotp-${id}`, accounts: { create: { provider: "github", type: "oauth", providerAccountId: `rotp-${id}`, access_token: "gho_plain" } } },
    });
    const cluster = await db.cluster.create({ data: { name: `rot-${id}`, displayName: "rot", connection: "KUBECONFIG", kubeconfigCiphertext: seal("apiVersion: v1\nkind: Config\n", OLD) } });

    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    try {
      const dry = await rotateEncryptionKey(c, { oldKey: OLD, newKey: NEW }, { dryRun: true });
      // This file's database: bob's access and refresh tokens, the legacy token sealed at first use,
      // the two tokens and the kubeconfig made here; one plaintext token.
      expect(dry).toMatchObject({ rotated: 6, sealedPlaintext: 1, unreadable: [], committed: false });
      expect((await rawAccount(plainUser.id)).access_token).toBe("gho_plain");

      const r = await rotateEncryptionKey(c, { oldKey: OLD, newKey: NEW });
      expect(r).toMatchObject({ rotated: 6, sealedPlaintext: 1, unreadable: [], committed: true });
    } finally {
      await c.end();
    }
    const s = await rawAccount(sealedUser.id);
    expect(open(s.access_token!, NEW)).toBe("gho_sealed");
    expect(open(s.refresh_token!, NEW)).toBe("ghr_sealed");
    const p = await rawAccount(plainUser.id);
    expect(p.whole).not.toContain("gho_plain");
    expect(open(p.access_token!, NEW)).toBe("gho_plain");
    const k = await db.cluster.findUniqueOrThrow({ where: { id: cluster.id } });
    expect(open(k.kubeconfigCiphertext!, NEW)).toMatch(/^apiVersion: v1/);
  });
});
