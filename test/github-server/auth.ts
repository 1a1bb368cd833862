// Who is calling: an OAuth user token, an installation token, an app JWT, or
// nobody. Also the guards routes use, each failing with GitHub's own answer.
import type { IncomingMessage } from "node:http";
import { DOCS, fail, githubError } from "./http";
import { looksLikeJwt, verifyAppJwt, JWT_MESSAGES } from "./jwt";
import type { RequestContext } from "./router";
import type { AccessLevel, AppRecord, GitHubState, InstallationRecord, TokenRecord, UserRecord } from "./state";
import { key } from "./state";

type UserToken = Extract<TokenRecord, { kind: "user" }>;
type InstallationToken = Extract<TokenRecord, { kind: "installation" }>;

export type Principal =
  | { kind: "anonymous" }
  | { kind: "user"; user: UserRecord; token: UserToken }
  | { kind: "installation"; installation: InstallationRecord; token: InstallationToken }
  | { kind: "app"; app: AppRecord };

/** GitHub accepts "token X", "Bearer X", and Basic auth with the token as password. */
export function readCredential(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const [scheme = "", ...rest] = header.trim().split(/\s+/);
  const value = rest.join(" ");
  switch (scheme.toLowerCase()) {
    case "token":
    case "bearer":
      return value || "";
    case "basic": {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      return decoded.slice(decoded.indexOf(":") + 1);
    }
    default:
      return "";
  }
}

const badCredentials = () => fail(githubError(401, "Bad credentials", DOCS));

export function resolvePrincipal(state: GitHubState, req: IncomingMessage): Principal {
  const credential = readCredential(req);
  if (credential === null) return { kind: "anonymous" };
  if (looksLikeJwt(credential)) return { kind: "app", app: verifyAppJwt(state, credential) };
  const token = state.tokens.get(credential);
  if (!token) return badCredentials();
  if (token.kind === "user") {
    const user = state.users.get(key(token.login));
    if (!user) return badCredentials();
    return { kind: "user", user, token };
  }
  const installation = state.installations.get(token.installationId);
  // Expired tokens and tokens of deleted installations are simply bad credentials.
  if (!installation || token.expiresAt <= Date.now()) return badCredentials();
  if (installation.suspended) fail(githubError(403, "This installation has been suspended", DOCS));
  return { kind: "installation", installation, token };
}

const requiresAuthentication = (docs: string) => fail(githubError(401, "Requires authentication", docs));
const notForIntegrations = (docs: string) => fail(githubError(403, "Resource not accessible by integration", docs));

/** Endpoints for the signed-in user (OAuth tokens). */
export function requireUser(ctx: RequestContext, docs: string = DOCS): { user: UserRecord; token: UserToken } {
  const p = ctx.principal();
  if (p.kind === "anonymous") return requiresAuthentication(docs);
  if (p.kind !== "user") return notForIntegrations(docs);
  return p;
}

/** Endpoints that only accept an app JWT ("You must authenticate as a GitHub App"). */
export function requireApp(ctx: RequestContext, docs: string = DOCS): AppRecord {
  const p = ctx.principal();
  if (p.kind === "anonymous") return requiresAuthentication(docs);
  // GitHub tries to decode any other credential as a JWT and fails.
  if (p.kind !== "app") return fail(githubError(401, JWT_MESSAGES.undecodable, docs));
  return p.app;
}

/** Endpoints that accept user or installation tokens but not a bare app JWT. */
export function requireUserOrInstallation(
  ctx: RequestContext,
  docs: string = DOCS,
): Extract<Principal, { kind: "user" | "installation" }> {
  const p = ctx.principal();
  if (p.kind === "anonymous") return requiresAuthentication(docs);
  if (p.kind === "app") return notForIntegrations(docs);
  return p;
}

const LEVEL_RANK: Record<string, number> = { read: 1, write: 2, admin: 3 };

/**
 * Installation tokens need the endpoint's permission; GitHub says which one in
 * the x-accepted-github-permissions header of its 403.
 */
export function requirePermission(
  token: InstallationToken,
  permission: string,
  level: AccessLevel,
  docs: string,
): void {
  const granted = token.permissions[permission];
  if (granted && (LEVEL_RANK[granted] ?? 0) >= (LEVEL_RANK[level] ?? 0)) return;
  fail(
    githubError(403, "Resource not accessible by integration", docs, {
      "x-accepted-github-permissions": `${permission}=${level}`,
    }),
  );
}

/** Rate-limit bucket of a principal: per user, per installation, per app, or per IP. */
export function rateLimitBucket(p: Principal | null): { key: string; limit: number; label: string } {
  switch (p?.kind) {
    case "user":
      return { key: `user:${p.user.id}`, limit: 5000, label: `user ID ${p.user.id}` };
    case "installation":
      return { key: `installation:${p.installation.id}`, limit: 5000, label: `installation ID ${p.installation.id}` };
    case "app":
      return { key: `app:${p.app.id}`, limit: 5000, label: `app ID ${p.app.id}` };
    default:
      return { key: "ip:127.0.0.1", limit: 60, label: "127.0.0.1" };
  }
}
