// GitHub App JWTs: RS256 verification with the app's public key, and the claim
// rules GitHub documents (iss = app ID or client ID, iat, exp ≤ 10 minutes ahead).
// The error messages are the ones GitHub's API returns for each mistake.
import { createPrivateKey, sign, verify } from "node:crypto";
import { DOCS, fail, githubError } from "./http";
import type { AppRecord, GitHubState } from "./state";

export const JWT_MESSAGES = {
  undecodable: "A JSON web token could not be decoded",
  issuer: "'Issuer' claim ('iss') must be an Integer",
  issuedAt: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
  expired: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  tooFar: "'Expiration time' claim ('exp') is too far in the future",
  unknownApp: "Integration not found",
} as const;

/** GitHub caps an app JWT's lifetime at ten minutes. */
export const MAX_JWT_LIFETIME_SECONDS = 600;

export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);
}

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function findApp(state: GitHubState, iss: unknown): AppRecord | null {
  if (typeof iss === "number" || (typeof iss === "string" && /^\d+$/.test(iss))) {
    return state.apps.get(Number(iss)) ?? null;
  }
  for (const app of state.apps.values()) if (app.clientId === iss) return app;
  return null;
}

function unauthorized(message: string): never {
  return fail(githubError(401, message, DOCS));
}

/** Returns the app the JWT authenticates, or throws GitHub's 401/404 answer. */
export function verifyAppJwt(state: GitHubState, token: string, nowSeconds = Math.floor(Date.now() / 1000)): AppRecord {
  const [h = "", p = "", s = ""] = token.split(".");
  const header = decodeSegment(h);
  const payload = decodeSegment(p);
  if (!header || !payload || header.alg !== "RS256") unauthorized(JWT_MESSAGES.undecodable);
  const claims = payload as Record<string, unknown>;

  const iss = claims.iss;
  const issOk = (typeof iss === "number" && Number.isInteger(iss)) || (typeof iss === "string" && iss.length > 0);
  if (!issOk) unauthorized(JWT_MESSAGES.issuer);
  const app = findApp(state, iss);
  if (!app) fail(githubError(404, JWT_MESSAGES.unknownApp, DOCS));

  // A valid JWT signed with another app's key is "undecodable" to GitHub too.
  const signed = verify("RSA-SHA256", Buffer.from(`${h}.${p}`), app.publicKey, Buffer.from(s, "base64url"));
  if (!signed) unauthorized(JWT_MESSAGES.undecodable);

  const { iat, exp } = claims;
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > nowSeconds) unauthorized(JWT_MESSAGES.issuedAt);
  if (typeof exp !== "number" || exp <= nowSeconds) unauthorized(JWT_MESSAGES.expired);
  if (exp - nowSeconds > MAX_JWT_LIFETIME_SECONDS) unauthorized(JWT_MESSAGES.tooFar);
  return app;
}

/**
 * Signs an app JWT the way GitHub's docs describe (iat 60 s in the past, exp
 * 9 min ahead). For tests; claims can be overridden to provoke each error.
 */
export function signAppJwt(opts: {
  issuer: number | string;
  privateKeyPem: string;
  iat?: number;
  exp?: number;
  extraClaims?: Record<string, unknown>;
}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: "RS256", typ: "JWT" };
  const payload = { iat: opts.iat ?? now - 60, exp: opts.exp ?? now + 540, iss: opts.issuer, ...opts.extraClaims };
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const input = `${enc(header)}.${enc(payload)}`;
  const signature = sign("RSA-SHA256", Buffer.from(input), createPrivateKey(opts.privateKeyPem));
  return `${input}.${signature.toString("base64url")}`;
}
