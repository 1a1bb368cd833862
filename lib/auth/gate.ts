import "server-only";
import { forbidden, redirect } from "next/navigation";
import type { z } from "zod";
import { DATABASE_BUSY_MESSAGE, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseBusy, isDatabaseDown } from "@/lib/database-down";
import { invalidateReadCaches } from "@/lib/db/read-cache";
import { env } from "@/lib/env";
import { HttpError, forbiddenError, issuesByField, unauthorized, unavailable, type FieldErrors } from "@/lib/http-errors";
import { REQUEST_ID_HEADER, requestIdFor } from "@/lib/http-request-id";
import { log, withLogContext } from "@/lib/log";
import { loggableError } from "@/lib/loggable-error";
import { countHttpRequest } from "@/lib/metrics";
import { apiSecurityHeaders } from "@/lib/security-headers";
import { currentActor, renderActor, type Actor } from "./actor";
import { hasRole } from "./roles";

// The one authorisation gate. Every page, route handler and server action
// states its policy here; nothing else decides who may do what.

export type Policy = "public" | "signed-in" | "reviewer" | "admin";

const NEEDED = { reviewer: "REVIEWER", admin: "ADMIN" } as const;

export function allows(actor: Actor | null, policy: Policy): boolean {
  if (policy === "public") return true;
  if (!actor) return false;
  return policy === "signed-in" || hasRole(actor.role, NEEDED[policy]);
}

async function authorize(policy: Policy): Promise<Actor | null> {
  const actor = policy === "public" ? await currentActor().catch(() => null) : await currentActor();
  if (allows(actor, policy)) return actor;
  throw actor ? forbiddenError(`This needs the ${policy} role.`) : unauthorized();
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a browser sent this state-changing request from another site's page (CSRF): a POST
 * without a body (deactivate, a GitHub check) would otherwise rest on SameSite=Lax alone.
 * Browsers send Sec-Fetch-Site, or at least Origin, on every such request; a client that sends
 * neither (curl, a script) is not a browser carrying someone's cookie. Same origin means the
 * portal's public URL (NEXTAUTH_URL) or the host the request was sent to.
 */
export function crossSiteProblem(req: Request): string | null {
  if (SAFE_METHODS.has(req.method)) return null;
  const site = req.headers.get("sec-fetch-site");
  if (site === "same-origin" || site === "none") return null;
  const origin = req.headers.get("origin");
  if (origin === null) {
    return site === null ? null : "This change was sent from another site's page, so the portal refused it. Make it from the portal's own pages.";
  }
  let host: string | null = null;
  try {
    host = origin === "null" ? null : new URL(origin).host;
  } catch {
    // Not a URL: refused below.
  }
  if (host !== null && (origin === new URL(env().NEXTAUTH_URL).origin || (site === null && host === req.headers.get("host")))) return null;
  return `This change was sent from another site (${origin.slice(0, 100)}), so the portal refused it. Make it from the portal's own pages.`;
}

/** For pages: sends anonymous people to sign in and renders 403 for the wrong role. */
export async function pageActor(policy: Exclude<Policy, "public">, returnTo: string): Promise<Actor> {
  const actor = await renderActor();
  if (!actor) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!allows(actor, policy)) forbidden();
  return actor;
}

/** Maps anything thrown by a handler to a status and a message a person can act on. */
export function toHttpError(err: unknown, context: string): HttpError {
  if (err instanceof HttpError) return err;
  if (isDatabaseDown(err)) {
    log.warn("database unavailable", { context, error: (err as Error).message });
    return unavailable(DATABASE_UNAVAILABLE_MESSAGE);
  }
  if (isDatabaseBusy(err)) {
    log.warn("database saturated", { context, error: (err as Error).message });
    return unavailable(DATABASE_BUSY_MESSAGE, 5);
  }
  log.error("unhandled error", { context, ...loggableError(err) });
  return new HttpError(500, "Something went wrong on our side. It has been logged; try again.");
}

// Probes and scrapes arrive every few seconds; they are logged only at debug unless they fail.
const QUIET = /^\/api\/(health\/|metrics$)/;

/** One JSON line per API request: never bodies, query strings or headers. */
function logRequest(method: string, path: string, status: number, ms: number, userId: string | undefined) {
  countHttpRequest(method, status);
  const fields = { method, path, status, durationMs: Math.round(ms), userId };
  if (status >= 500) log.error("api request", fields);
  else if (QUIET.test(path) && status < 400) log.debug("api request", fields);
  else log.info("api request", fields);
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };
type RouteHandler = (req: Request, ctx: RouteContext) => Promise<Response>;

export function errorResponse(err: HttpError): Response {
  return Response.json(
    { error: err.message, ...(err.fieldErrors ? { fieldErrors: err.fieldErrors } : {}) },
    { status: err.status, ...(err.retryAfterSeconds !== undefined ? { headers: { "Retry-After": String(Math.max(1, err.retryAfterSeconds)) } } : {}) },
  );
}

const API_HEADERS = apiSecurityHeaders({ https: (process.env.NEXTAUTH_URL ?? "").startsWith("https://") });

function withApiHeaders(response: Response, requestId: string): Response {
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(API_HEADERS)) if (!headers.has(k)) headers.set(k, v);
  headers.set(REQUEST_ID_HEADER, requestId);
  // A new Response: a handler's own (a redirect, say) may have immutable headers.
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Wraps a route handler: authorises, then turns results into JSON and errors into 4xx. */
export function route(
  policy: Policy,
  handler: (args: { req: Request; actor: Actor | null; params: Record<string, string> }) => Promise<unknown>,
): RouteHandler {
  const wrapped: RouteHandler = async (req, ctx) => {
    const started = performance.now();
    const path = new URL(req.url).pathname;
    // API routes skip proxy.ts (for speed), so the request id and the security headers are set
    // here; every log line of this request carries the id, and the response echoes it.
    const httpRequestId = requestIdFor(req.headers.get(REQUEST_ID_HEADER));
    return withLogContext({ httpRequestId }, async () => {
      let actor: Actor | null = null;
      let response: Response;
      try {
        const crossSite = crossSiteProblem(req);
        if (crossSite) throw forbiddenError(crossSite);
        actor = await authorize(policy);
        const params = (await ctx?.params) as Record<string, string> | undefined;
        const result = await handler({ req, actor, params: params ?? {} });
        response = result instanceof Response ? result : Response.json(result ?? null);
      } catch (err) {
        response = errorResponse(toHttpError(err, `${req.method} ${path}`));
      }
      // The change notifications of its writes reach this process a moment after they commit:
      // whoever wrote must read their own writes at once.
      if (req.method !== "GET" && req.method !== "HEAD") invalidateReadCaches();
      logRequest(req.method, path, response.status, performance.now() - started, actor?.id);
      return withApiHeaders(response, httpRequestId);
    });
  };
  return Object.assign(wrapped, { policy });
}

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; error: string; fieldErrors?: FieldErrors };

/** Wraps a server action: authorises, validates input with the shared schema, never throws. */
export function action<S extends z.ZodType, T>(
  policy: Exclude<Policy, "public">,
  schema: S,
  handler: (input: z.infer<S>, actor: Actor) => Promise<T>,
): ((input: unknown) => Promise<ActionResult<T>>) & { policy: Policy } {
  const wrapped = async (input: unknown): Promise<ActionResult<T>> => {
    try {
      const actor = (await authorize(policy)) as Actor;
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        return { ok: false, status: 400, error: "Some answers need fixing.", fieldErrors: issuesByField(parsed.error.issues) };
      }
      return { ok: true, data: await handler(parsed.data, actor) };
    } catch (err) {
      const e = toHttpError(err, `action ${handler.name || "anonymous"}`);
      return { ok: false, status: e.status, error: e.message, ...(e.fieldErrors ? { fieldErrors: e.fieldErrors } : {}) };
    } finally {
      // As for route(): actions write, and the next page must show it.
      invalidateReadCaches();
    }
  };
  return Object.assign(wrapped, { policy });
}
