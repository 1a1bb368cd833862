import GitHubProvider from "next-auth/providers/github";
import type { Env } from "@/lib/env";

export interface GitHubProfile {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  avatar_url: string;
}

/**
 * next-auth's GitHub provider with every URL taken from configuration, so
 * github.com, GitHub Enterprise Server and the tests' local GitHub server all
 * run the same code. The stock provider hard-codes api.github.com for e-mails.
 */
export function gitHubProvider(e: Env) {
  const api = e.GITHUB_API_URL;
  return GitHubProvider({
    clientId: e.GITHUB_CLIENT_ID ?? "",
    clientSecret: e.GITHUB_CLIENT_SECRET ?? "",
    issuer: `${e.GITHUB_URL}/login/oauth`,
    authorization: { url: `${e.GITHUB_URL}/login/oauth/authorize`, params: { scope: "read:user user:email read:org" } },
    token: `${e.GITHUB_URL}/login/oauth/access_token`,
    userinfo: {
      url: `${api}/user`,
      async request({ tokens }) {
        const headers = { Authorization: `Bearer ${tokens.access_token}`, Accept: "application/vnd.github+json" };
        const res = await fetch(`${api}/user`, { headers });
        if (!res.ok) throw new Error(`GitHub /user answered ${res.status}`);
        const profile = (await res.json()) as GitHubProfile;
        if (!profile.email) {
          const emails = await fetch(`${api}/user/emails`, { headers });
          if (emails.ok) {
            const list = (await emails.json()) as { email: string; primary: boolean; verified: boolean }[];
            profile.email = (list.find((m) => m.primary && m.verified) ?? list.find((m) => m.verified))?.email ?? null;
          }
        }
        return profile as unknown as Record<string, unknown>;
      },
    },
    // Extra fields land on the User row through the Prisma adapter.
    profile(p: GitHubProfile) {
      return {
        id: String(p.id),
        name: p.name ?? p.login,
        email: p.email,
        image: p.avatar_url,
        login: p.login.toLowerCase(),
        githubId: p.id,
      };
    },
  });
}
