// next-auth's signIn event, as the portal configures it: the role is recomputed from
// the login lists and REVIEWER_TEAM at every sign-in, and the token of this sign-in
// replaces the stored one, sealed.
import { randomBytes, randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { open } from "@/lib/crypto/aes-gcm";
import type { GitHubServer } from "@/test/github-server/server";
import { setEnv } from "@/test/harness/set-env";
import { startWorld } from "./world";

let gh: GitHubServer;
let restoreEnv: () => void;
const suffix = randomBytes(4).toString("hex");
const login = `rev-${suffix}`;

beforeAll(async () => {
  gh = await startWorld();
  // Random GitHub IDs: the database is shared with other test files (githubId is unique).
  gh.addUser({ login, id: randomInt(1_000_000, 2_000_000_000) });
  gh.addTeam("ossci", "portal-reviewers", [login]);
  restoreEnv = setEnv({ GITHUB_API_URL: gh.url, REVIEWER_TEAM: "ossci/portal-reviewers", ADMIN_LOGINS: "", REVIEWER_LOGINS: "" });
});

afterAll(async () => {
  restoreEnv();
  await gh.close();
});

async function signIn(userId: string, token: string) {
  const { authOptions } = await import("@/lib/auth/options");
  const { db } = await import("@/lib/db");
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const account = { provider: "github", type: "oauth" as const, providerAccountId: String(user.githubId), access_token: token, scope: "read:user,user:email,read:org", token_type: "bearer" };
  const profile = { id: user.githubId, login, name: "Reviewer", email: null, avatar_url: "" };
  await authOptions().events!.signIn!({ user, account, profile: profile as never, isNewUser: false });
  return db.user.findUniqueOrThrow({ where: { id: userId }, include: { accounts: true } });
}

describe("events.signIn", () => {
  it("grants REVIEWER from the team, takes it away after leaving, and stores each sign-in's token", async () => {
    const { db } = await import("@/lib/db");
    const githubId = gh.state.users.get(login)!.id;
    const user = await db.user.create({
      data: { login, githubId, accounts: { create: { provider: "github", type: "oauth", providerAccountId: String(githubId), access_token: "gho_first" } } },
    });

    const first = await signIn(user.id, gh.issueUserToken(login));
    expect(first.role).toBe("REVIEWER");

    gh.state.orgs.get("ossci")!.teams.get("portal-reviewers")!.members.delete(login);
    const token = gh.issueUserToken(login);
    const second = await signIn(user.id, token);
    expect(second.role).toBe("REQUESTER");
    // Stored sealed (lib/auth/sealed-adapter.ts), never as the token itself.
    expect(second.accounts[0]!.access_token).not.toBe(token);
    expect(open(second.accounts[0]!.access_token!, process.env.ENCRYPTION_KEY!)).toBe(token);

    const { userGitHubToken } = await import("@/lib/github/user-token");
    expect(await userGitHubToken(user.id)).toBe(token);
  });

  it("keeps the previous role and lets the sign-in succeed when GitHub is down", async () => {
    const { db } = await import("@/lib/db");
    const other = `down-${suffix}`;
    const ghUser = gh.addUser({ login: other, id: randomInt(1_000_000, 2_000_000_000) });
    gh.addTeam("ossci", "portal-reviewers", [other]);
    const user = await db.user.create({
      data: { login: other, githubId: ghUser.id, role: "REVIEWER", accounts: { create: { provider: "github", type: "oauth", providerAccountId: String(ghUser.id) } } },
    });
    gh.failNext("*", { status: 503 });
    const { authOptions } = await import("@/lib/auth/options");
    const profile = { id: ghUser.id, login: other, name: null, email: null, avatar_url: "" };
    const account = { provider: "github", type: "oauth" as const, providerAccountId: String(ghUser.id), access_token: gh.issueUserToken(other) };
    await authOptions().events!.signIn!({ user, account, profile: profile as never, isNewUser: false });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("REVIEWER");
  });
});
