// GitHub's OAuth web flow: /login/oauth/authorize redirects back with a code,
// /login/oauth/access_token exchanges it. Errors follow GitHub's troubleshooting
// docs: authorisation errors are redirects with error=…, token errors are 200s.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Reply } from "./http";
import type { RequestContext, Router } from "./router";
import { issueUserToken } from "./seed";
import { key, type OAuthAppRecord } from "./state";
import { newCode } from "./tokens";

/** Authorisation codes expire after ten minutes on GitHub. */
export const CODE_TTL_MS = 10 * 60 * 1000;

const TROUBLE_AUTH = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors";
const TROUBLE_TOKEN = "/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

const TOKEN_ERRORS = {
  incorrect_client_credentials: {
    error_description: "The client_id and/or client_secret passed are incorrect.",
    error_uri: `${TROUBLE_TOKEN}/#incorrect-client-credentials`,
  },
  redirect_uri_mismatch: {
    error_description: "The redirect_uri MUST match the registered callback URL for this application.",
    error_uri: `${TROUBLE_TOKEN}/#redirect-uri-mismatch2`,
  },
  bad_verification_code: {
    error_description: "The code passed is incorrect or expired.",
    error_uri: `${TROUBLE_TOKEN}/#bad-verification-code`,
  },
  unsupported_grant_type: {
    error_description: "The grant type is not supported.",
    error_uri: `${TROUBLE_TOKEN}`,
  },
} as const;

function page(status: number, text: string): Reply {
  return { status, body: `<!DOCTYPE html><title>${status}</title><p>${text}</p>`, contentType: "text/html; charset=utf-8" };
}

function redirect(target: string, params: Record<string, string | null>): Reply {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return { status: 302, headers: { location: url.toString() } };
}

/** GitHub's rule: same scheme, host and port; the path may go deeper than the callback's. */
function redirectAllowed(callback: string, requested: string): boolean {
  try {
    const c = new URL(callback);
    const r = new URL(requested);
    return c.protocol === r.protocol && c.host === r.host && r.pathname.startsWith(c.pathname);
  } catch {
    return false;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Client credentials come as HTTP Basic (openid-client's default) or in the body. */
function clientCredentials(ctx: RequestContext, body: Record<string, unknown>) {
  const header = ctx.req.headers.authorization;
  if (header?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const i = decoded.indexOf(":");
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  }
  return { id: String(body.client_id ?? ""), secret: String(body.client_secret ?? "") };
}

export function registerOAuthRoutes(router: Router): void {
  router.add(
    "GET",
    "/login/oauth/authorize",
    (ctx) => {
      const q = ctx.url.searchParams;
      const state = ctx.state;
      const app: OAuthAppRecord | undefined = state.oauthApps.get(q.get("client_id") ?? "");
      if (!app) return page(404, "Not Found: no OAuth app with this client_id.");
      const stateParam = q.get("state");
      const redirectUri = q.get("redirect_uri") ?? app.callbackUrl;
      if (!redirectUri) return page(400, "The redirect_uri is missing and the app has no callback URL.");
      if (app.callbackUrl && !redirectAllowed(app.callbackUrl, redirectUri)) {
        return redirect(app.callbackUrl, {
          error: "redirect_uri_mismatch",
          error_description: "The redirect_uri MUST match the registered callback URL for this application.",
          error_uri: `${TROUBLE_AUTH}#redirect-uri-mismatch`,
          state: stateParam,
        });
      }
      if (state.denyNextAuthorization) {
        state.denyNextAuthorization = false;
        return redirect(redirectUri, {
          error: "access_denied",
          error_description: "The user has denied your application access.",
          error_uri: `${TROUBLE_AUTH}#access-denied`,
          state: stateParam,
        });
      }
      // The test decides who is "at the browser"; else GitHub's login hint; else the first user.
      const login = state.nextAuthorizingUser ?? q.get("login") ?? [...state.users.values()][0]?.login;
      const user = login ? state.users.get(key(login)) : undefined;
      if (!user) return page(400, `No such user to authorise as: ${login ?? "(no users seeded)"}.`);
      const challenge = q.get("code_challenge");
      const method = q.get("code_challenge_method") === "plain" ? "plain" : "S256";
      const code = newCode();
      state.codes.set(code, {
        code,
        clientId: app.clientId,
        login: user.login,
        redirectUri: q.get("redirect_uri"),
        scopes: (q.get("scope") ?? "").split(/[\s,]+/).filter(Boolean),
        expiresAt: Date.now() + CODE_TTL_MS,
        codeChallenge: challenge,
        codeChallengeMethod: challenge ? method : null,
      });
      return redirect(redirectUri, { code, state: stateParam });
    },
    "web",
  );

  router.add(
    "POST",
    "/login/oauth/access_token",
    async (ctx): Promise<Reply> => {
      // GitHub takes the parameters in the query string as well as in the body.
      const body = { ...Object.fromEntries(ctx.url.searchParams), ...(await ctx.body()) };
      const wantsJson = (ctx.req.headers.accept ?? "").includes("json");
      // Without Accept: application/json GitHub answers form-encoded.
      const answer = (payload: Record<string, string>): Reply =>
        wantsJson
          ? { status: 200, body: payload }
          : { status: 200, body: new URLSearchParams(payload).toString(), contentType: "application/x-www-form-urlencoded; charset=utf-8" };
      const error = (name: keyof typeof TOKEN_ERRORS) => answer({ error: name, ...TOKEN_ERRORS[name] });

      const creds = clientCredentials(ctx, body);
      const app = ctx.state.oauthApps.get(creds.id);
      if (!app || !safeEqual(app.clientSecret, creds.secret)) return error("incorrect_client_credentials");
      if (body.grant_type !== undefined && body.grant_type !== "authorization_code") return error("unsupported_grant_type");

      const code = ctx.state.codes.get(String(body.code ?? ""));
      if (!code || code.clientId !== app.clientId || code.expiresAt <= Date.now()) return error("bad_verification_code");
      const redirectUri = body.redirect_uri === undefined ? null : String(body.redirect_uri);
      if (redirectUri !== null && code.redirectUri !== null && redirectUri !== code.redirectUri) {
        return error("redirect_uri_mismatch");
      }
      if (code.codeChallenge) {
        const verifier = String(body.code_verifier ?? "");
        const computed =
          code.codeChallengeMethod === "plain" ? verifier : createHash("sha256").update(verifier).digest("base64url");
        if (!verifier || !safeEqual(computed, code.codeChallenge)) return error("bad_verification_code");
      }
      // Codes are single-use.
      ctx.state.codes.delete(code.code);
      const token = issueUserToken(ctx.state, code.login, { scopes: code.scopes, clientId: app.clientId });
      return answer({ access_token: token, token_type: "bearer", scope: code.scopes.join(",") });
    },
    "web",
  );
}
