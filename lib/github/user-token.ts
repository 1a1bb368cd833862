import "server-only";
import { db } from "@/lib/db";

// The person's GitHub OAuth token, as next-auth's Prisma adapter stores it in the
// Account table. Used for checks that GitHub must answer as that person.

/** The user's GitHub OAuth access token, or null (demo users, or never signed in with GitHub). */
export async function userGitHubToken(userId: string): Promise<string | null> {
  const account = await db.account.findFirst({
    where: { userId, provider: "github", access_token: { not: null } },
    select: { access_token: true },
  });
  return account?.access_token ?? null;
}

/**
 * Stores the token of this sign-in. next-auth's adapter writes the Account row only
 * at the first sign-in, and GitHub revokes the oldest of a person's tokens for an
 * OAuth App once there are ten, so the first token would eventually stop working.
 */
export async function rememberUserGitHubToken(account: {
  provider: string;
  providerAccountId: string;
  access_token?: string | null;
  scope?: string | null;
  token_type?: string | null;
}): Promise<void> {
  if (account.provider !== "github" || !account.access_token) return;
  await db.account.updateMany({
    where: { provider: account.provider, providerAccountId: account.providerAccountId },
    data: { access_token: account.access_token, scope: account.scope ?? null, token_type: account.token_type ?? null },
  });
}
