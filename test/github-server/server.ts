// A local HTTP server that answers like github.com (OAuth pages at the root,
// REST API at the root or under /api/v3 like GitHub Enterprise Server), backed
// by the in-memory model in state.ts. Bound to 127.0.0.1 only.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { registerAppRoutes } from "./apps";
import { rateLimitBucket, resolvePrincipal, type Principal } from "./auth";
import { CONTROL_PREFIX, handleControl, type ControlTarget } from "./control";
import { addFault, faultReply, takeFault } from "./faults";
import { applySeed, type SeedFixture } from "./fixture";
import { ApiError, githubError, notFound, parseBody, readBody, type Reply } from "./http";
import { registerOAuthRoutes } from "./oauth";
import { registerOrgRoutes } from "./orgs";
import { rateHeaders, registerRateLimitRoutes, snapshot } from "./ratelimit";
import { registerRepoRoutes } from "./repos";
import { GHES_API_PREFIX, normalizePath, Router, type RequestContext } from "./router";
import { registerRunnerRoutes } from "./runners";
import {
  addApp,
  addInstallation,
  addMember,
  addOAuthApp,
  addOrg,
  addRepo,
  addRunner,
  addTeam,
  addUser,
  issueUserToken,
} from "./seed";
import { clearState, createEmptyState, type FaultSpec, type GitHubState, type RequestLogEntry } from "./state";
import { newRequestId } from "./tokens";
import { registerUserRoutes } from "./users";

export interface GitHubServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Applied at start and again by every reset(). */
  seed?: SeedFixture;
  /** Directory that relative paths in the seed (publicKeyPath) are resolved against. */
  seedBaseDir?: string;
  /** true logs one line per request to stdout; a function receives the lines instead. */
  log?: boolean | ((line: string) => void);
}

type Bind<F> = F extends (state: GitHubState, ...rest: infer A) => infer R ? (...args: A) => R : never;

export interface GitHubServer extends ControlTarget {
  /** http://127.0.0.1:PORT: OAuth pages, and the REST API at the root. */
  url: string;
  /** http://127.0.0.1:PORT/api/v3: the same REST API in the GHES layout. */
  apiUrl: string;
  port: number;
  state: GitHubState;
  close(): Promise<void>;
  addUser: Bind<typeof addUser>;
  addOrg: Bind<typeof addOrg>;
  addMember: Bind<typeof addMember>;
  addTeam: Bind<typeof addTeam>;
  addRepo: Bind<typeof addRepo>;
  addApp: Bind<typeof addApp>;
  addInstallation: Bind<typeof addInstallation>;
  addRunner: Bind<typeof addRunner>;
  addOAuthApp: Bind<typeof addOAuthApp>;
  /** Requests seen so far (method, path without query, status), oldest first. */
  requests(): RequestLogEntry[];
}

const REQUEST_LOG_LIMIT = 1000;

function buildRouter(): Router {
  const router = new Router();
  registerOAuthRoutes(router);
  registerUserRoutes(router);
  registerOrgRoutes(router);
  registerRepoRoutes(router);
  registerAppRoutes(router);
  registerRunnerRoutes(router);
  registerRateLimitRoutes(router);
  return router;
}

// Never log credentials that travel in query strings.
const SECRET_PARAMS = new Set(["code", "client_secret", "access_token", "code_verifier", "state"]);

function loggablePath(url: URL): string {
  const q = new URLSearchParams(url.search);
  for (const k of [...q.keys()]) if (SECRET_PARAMS.has(k)) q.set(k, "…");
  const s = q.toString();
  return s ? `${url.pathname}?${s}` : url.pathname;
}

function commonHeaders(requestId: string, req: IncomingMessage): Record<string, string> {
  return {
    server: "GitHub.com",
    "x-github-request-id": requestId,
    "x-github-media-type": "github.v3; format=json",
    "x-github-api-version-selected": String(req.headers["x-github-api-version"] ?? "2022-11-28"),
    "access-control-expose-headers":
      "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset",
  };
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string>): void {
  const all: Record<string, string> = { ...headers, ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined && reply.status !== 204 && reply.status !== 304) {
    if (typeof reply.body === "string") {
      payload = reply.body;
      all["content-type"] = reply.contentType ?? "text/plain; charset=utf-8";
    } else {
      payload = JSON.stringify(reply.body);
      all["content-type"] = reply.contentType ?? "application/json; charset=utf-8";
    }
    all["content-length"] = String(Buffer.byteLength(payload));
  }
  res.writeHead(reply.status, all);
  res.end(payload);
}

export async function startGitHubServer(opts: GitHubServerOptions = {}): Promise<GitHubServer> {
  const state = createEmptyState();
  const router = buildRouter();
  const baseDir = opts.seedBaseDir ?? process.cwd();
  const log =
    typeof opts.log === "function" ? opts.log : opts.log ? (line: string) => process.stdout.write(`${line}\n`) : null;

  const control: ControlTarget = {
    state,
    reset({ empty = false } = {}) {
      clearState(state);
      if (!empty && opts.seed) applySeed(state, opts.seed, baseDir);
    },
    seed: (fixture) => applySeed(state, fixture, baseDir),
    failNext: (route, spec: FaultSpec, o = {}) => addFault(state, route, spec, o.times ?? 1),
    authorizeAs: (login) => {
      if (login !== null && !state.users.has(login.toLowerCase())) throw new Error(`unknown user "${login}"`);
      state.nextAuthorizingUser = login;
    },
    denyNextAuthorization: () => {
      state.denyNextAuthorization = true;
    },
    issueUserToken: (login, o) => issueUserToken(state, login, o),
  };
  control.reset();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = newRequestId();
    const origin = `http://${req.headers.host ?? "127.0.0.1"}`;
    const url = new URL(req.url ?? "/", origin);
    const method = (req.method ?? "GET").toUpperCase();
    let rawBody: Promise<string> | null = null;
    const raw = () => (rawBody ??= readBody(req));

    let reply: Reply | "drop";
    let headers: Record<string, string> = commonHeaders(requestId, req);

    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      reply = await handleControl(control, method, url, raw);
    } else {
      const { layout, path } = normalizePath(url.pathname);
      const match = router.match(method, path, layout);
      let principal: Principal | undefined;
      let parsedBody: Promise<Record<string, unknown>> | null = null;
      const ctx: RequestContext = {
        req,
        method,
        url,
        path,
        params: match?.params ?? {},
        apiBase: layout === "ghes" ? `${origin}${GHES_API_PREFIX}` : origin,
        webBase: origin,
        state,
        body: () => (parsedBody ??= raw().then((text) => parseBody(text, req.headers["content-type"]))),
        principal: () => (principal ??= resolvePrincipal(state, req)),
      };
      // The bucket is best-effort: bad credentials fall back to the anonymous one.
      let bucketPrincipal: Principal | null = null;
      try {
        bucketPrincipal = ctx.principal();
      } catch {
        bucketPrincipal = null;
      }
      const bucket = rateLimitBucket(bucketPrincipal);
      const isApi = match?.route.kind !== "web";
      // Web pages and GET /rate_limit do not use up the API allowance.
      const rate = snapshot(state, bucket, isApi && match?.route.template !== "/rate_limit");
      headers = { ...headers, ...rateHeaders(rate) };

      const fault = takeFault(state, method, path, match?.route.template ?? null);
      if (fault) {
        reply = faultReply(fault, bucket, rate, requestId);
      } else if (!match) {
        reply = notFound();
      } else {
        try {
          reply = await match.route.handler(ctx);
        } catch (e) {
          if (e instanceof ApiError) {
            reply = e.reply;
          } else {
            log?.(`github-fake: handler error on ${method} ${url.pathname}: ${e instanceof Error ? e.stack : String(e)}`);
            reply = githubError(500, "Server Error");
          }
        }
      }
    }

    const status = reply === "drop" ? 0 : reply.status;
    state.requestLog.push({ at: new Date(started).toISOString(), method, path: url.pathname, status, requestId });
    if (state.requestLog.length > REQUEST_LOG_LIMIT) state.requestLog.splice(0, state.requestLog.length - REQUEST_LOG_LIMIT);
    log?.(
      `${new Date(started).toISOString()} github-fake ${method} ${loggablePath(url)} ${reply === "drop" ? "dropped" : status} ${Date.now() - started}ms ${requestId}`,
    );
    if (reply === "drop") {
      req.socket.destroy();
      return;
    }
    send(res, reply, headers);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // Last resort: never leave a request hanging.
      if (!res.headersSent) send(res, githubError(500, "Server Error"), {});
      else res.destroy();
      log?.(`github-fake: ${e instanceof Error ? e.stack : String(e)}`);
    });
  });
  // A keep-alive socket left open by a client must not hold close() up.
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    ...control,
    url,
    apiUrl: `${url}${GHES_API_PREFIX}`,
    port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    addUser: (...a) => addUser(state, ...a),
    addOrg: (...a) => addOrg(state, ...a),
    addMember: (...a) => addMember(state, ...a),
    addTeam: (...a) => addTeam(state, ...a),
    addRepo: (...a) => addRepo(state, ...a),
    addApp: (...a) => addApp(state, ...a),
    addInstallation: (...a) => addInstallation(state, ...a),
    addRunner: (...a) => addRunner(state, ...a),
    addOAuthApp: (...a) => addOAuthApp(state, ...a),
    requests: () => [...state.requestLog],
  };
}

export type { SeedFixture } from "./fixture";
export type { FaultSpec, GitHubState } from "./state";
export { signAppJwt } from "./jwt";
