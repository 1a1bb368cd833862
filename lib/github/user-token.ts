import "server-only";
import { openAccountToken, sealAccountTokens } from "@/lib/auth/sealed-adapter";
import { isSealed } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";

// The person's GitHub OAuth token, as next-auth's Prisma adapter stores it in the Account
// table, sealed (lib/auth/sealed-adapter.ts). Used for checks that GitHub must answer as
// that person.

/** The user's GitHub OAuth access token, or null (demo users, never signed in with GitHub, or unreadable). */
export async function userGitHubToken(userId: string): Promise<string | null> {
  const account = await db.account.findFirst({
    where: { userId, provider: "github", access_token: { not: null } },
    select: { id: true, access_token: true },
  });
  const token = openAccountToken(account?.access_token);
  if (account && token && !isSealed(account.access_token!)) {
    // Written before tokens were sealed: seal it now, unless a sign-in replaced it meanwhile.
    await db.account.updateMany({
      where: { id: account.id, access_token: account.access_token },
      data: { access_token: sealAccountTokens({ access_token: token }).access_token },
    });
  }
  return token;
}

/**
 * Stores the token of this sign-in, sealed. next-auth's adapter writes the Account row only
 * at the first sign-in, and GitHub revokes the oldest of a person's tokens for an
 * OAuth App once there are ten, so the first token would eventually stop working.
 */
export async function rememberUserGitHubToken(account: {
  provider: string;
  providerAccountId: string;
  access_token?: string | null;
  refresh_token?: string | null;
  scope?: string | null;
  token_type?: string | null;
}): Promise<void> {
  if (account.provider !== "github" || !account.access_token) return;
  const sealed = sealAccountTokens({ access_token: account.access_token, refresh_token: account.refresh_token ?? null });
  await db.account.updateMany({
    where: { provider: account.provider, providerAccountId: account.providerAccountId },
    data: {
      access_token: sealed.access_token,
      ...(account.refresh_token ? { refresh_token: sealed.refresh_token } : {}),
      scope: account.scope ?? null,
      token_type: account.token_type ?? null,
    },
  });
}
