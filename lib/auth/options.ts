import "server-only";
import { PrismaAdapter } from "@next-auth/prisma-adapter";
import type { NextAuthOptions } from "next-auth";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Role } from "@/lib/generated/prisma/enums";
import { signInRole } from "@/lib/github/sign-in-role";
import { rememberUserGitHubToken } from "@/lib/github/user-token";
import { log } from "@/lib/log";
import { safeRedirectUrl } from "@/lib/safe-return-path";
import { maySignIn } from "./deactivate";
import { sealedAdapter } from "./sealed-adapter";
import { gitHubProvider, type GitHubProfile } from "./github-provider";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS, sessionCookie } from "./session-cookie";

let cached: NextAuthOptions | undefined;

/** Where a deactivated person's GitHub sign-in ends: the sign-in page, saying why. */
export const DEACTIVATED_SIGN_IN_URL = "/signin?error=Deactivated";

export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const e = env();
  const cookie = sessionCookie();
  cached = {
    // Tokens are sealed before they reach Account (sealed-adapter.ts).
    adapter: sealedAdapter(PrismaAdapter(db as never)),
    secret: e.NEXTAUTH_SECRET,
    // Sessions live in PostgreSQL so any replica can serve any user.
    // updateAge is spelled out because lib/auth/sessions.ts applies the same rule on every API call and page.
    session: { strategy: "database", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
    useSecureCookies: cookie.options.secure,
    providers: e.GITHUB_CLIENT_ID ? [gitHubProvider(e)] : [],
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      // A deactivated person (the adapter's user row) is refused before the sign-in event grants
      // any role, and sent to a sign-in page that says why (a string is next-auth's redirect).
      signIn: ({ user, profile }) => {
        if (!(profile as GitHubProfile | undefined)?.login) return false;
        return maySignIn(user as { deactivatedAt?: Date | null }) ? true : DEACTIVATED_SIGN_IN_URL;
      },
      // After sign-in: only back to a path on the portal, whatever callbackUrl someone crafted.
      redirect: ({ url, baseUrl }) => safeRedirectUrl(url, baseUrl),
      async session({ session, user }) {
        const u = user as typeof user & { login: string; role: string };
        session.user = { id: u.id, name: u.name, email: u.email, image: u.image, login: u.login, role: u.role } as never;
        return session;
      },
    },
    events: {
      // Runs after the adapter has created the user. The role follows the
      // configured lists and REVIEWER_TEAM at every sign-in, so a removal takes effect then.
      async signIn({ user, profile, account }) {
        const p = profile as GitHubProfile;
        if (account) await rememberUserGitHubToken(account);
        const previousRole = (user as { role?: Role }).role ?? "REQUESTER";
        const role = await signInRole({ login: p.login, userToken: account?.access_token, previousRole });
        await db.user.update({
          where: { id: user.id },
          data: { role, login: p.login.toLowerCase(), name: p.name ?? p.login, image: p.avatar_url, lastSignInAt: new Date() },
        });
        log.info("sign-in", { login: p.login, role });
      },
    },
    cookies: { sessionToken: cookie },
    logger: {
      error: (code, metadata) => log.error("next-auth", { code, message: (metadata as Error)?.message ?? String(code) }),
      warn: (code) => log.warn("next-auth", { code }),
      debug: () => undefined,
    },
  };
  return cached;
}
