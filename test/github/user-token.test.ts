// The stored GitHub OAuth token of a person (next-auth's Account row).
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { rememberUserGitHubToken, userGitHubToken } from "@/lib/github/user-token";

const unique = () => randomBytes(4).toString("hex");

describe("userGitHubToken", () => {
  it("reads the GitHub account's access token, and null when there is none", async () => {
    const id = unique();
    const withToken = await db.user.create({
      data: { login: `tok-${id}`, accounts: { create: { provider: "github", type: "oauth", providerAccountId: `p-${id}`, access_token: "gho_stored" } } },
    });
    const demo = await db.user.create({ data: { login: `demo-${id}` } });
    expect(await userGitHubToken(withToken.id)).toBe("gho_stored");
    expect(await userGitHubToken(demo.id)).toBeNull();
  });

  it("replaces the stored token with the one of the latest sign-in", async () => {
    const id = unique();
    const user = await db.user.create({
      data: { login: `tok2-${id}`, accounts: { create: { provider: "github", type: "oauth", providerAccountId: `p2-${id}`, access_token: "gho_old" } } },
    });
    await rememberUserGitHubToken({ provider: "github", providerAccountId: `p2-${id}`, access_token: "gho_new", scope: "read:org" });
    expect(await userGitHubToken(user.id)).toBe("gho_new");
    // Other providers and empty tokens change nothing.
    await rememberUserGitHubToken({ provider: "github", providerAccountId: `p2-${id}`, access_token: null });
    await rememberUserGitHubToken({ provider: "gitlab", providerAccountId: `p2-${id}`, access_token: "x" });
    expect(await userGitHubToken(user.id)).toBe("gho_new");
  });
});
