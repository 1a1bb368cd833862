// The /_fake/* control API, so a test in another process (Playwright) can seed
// state, pick who signs in, queue faults, and read the request log.
import { z } from "zod";
import type { Reply } from "./http";
import type { FaultSpec, GitHubState } from "./state";

export interface ControlTarget {
  state: GitHubState;
  /** Back to the start-up seed, or to nothing with empty=true. */
  reset(opts?: { empty?: boolean }): void;
  seed(fixture: unknown): void;
  failNext(route: string, spec: FaultSpec, opts?: { times?: number }): void;
  authorizeAs(login: string | null): void;
  denyNextAuthorization(): void;
  issueUserToken(login: string, opts?: { scopes?: string[]; token?: string }): string;
}

const failSchema = z.intersection(
  z.object({ route: z.string().min(1).default("*"), times: z.number().int().positive().optional() }),
  z.union([
    z.object({ status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]), message: z.string().optional() }),
    z.object({
      rateLimited: z.literal(true),
      resetInSeconds: z.number().int().nonnegative().optional(),
      secondary: z.boolean().optional(),
      status: z.union([z.literal(403), z.literal(429)]).optional(),
    }),
    z.object({ drop: z.literal(true) }),
  ]),
);

const authorizeSchema = z.object({ login: z.string().min(1).nullable().optional(), deny: z.boolean().optional() });
const tokenSchema = z.object({ login: z.string().min(1), scopes: z.array(z.string()).optional(), token: z.string().optional() });

const ok = (body: unknown, status = 200): Reply => ({ status, body });
const bad = (message: string): Reply => ({ status: 400, body: { error: message } });

function parse(raw: string): unknown {
  return raw.trim() ? JSON.parse(raw) : {};
}

export const CONTROL_PREFIX = "/_fake/";

export async function handleControl(target: ControlTarget, method: string, url: URL, raw: () => Promise<string>): Promise<Reply> {
  const route = `${method} ${url.pathname.slice(CONTROL_PREFIX.length - 1)}`;
  try {
    switch (route) {
      case "GET /health":
        return ok({ ok: true });
      case "POST /reset": {
        const body = z.object({ empty: z.boolean().optional() }).parse(parse(await raw()));
        target.reset({ empty: body.empty });
        return { status: 204 };
      }
      case "POST /seed":
        target.seed(parse(await raw()));
        return ok(summary(target.state));
      case "POST /fail-next": {
        const { route: r, times, ...spec } = failSchema.parse(parse(await raw()));
        target.failNext(r, spec as FaultSpec, { times });
        return { status: 204 };
      }
      case "POST /authorize-as": {
        const body = authorizeSchema.parse(parse(await raw()));
        if (body.login !== undefined) target.authorizeAs(body.login);
        if (body.deny) target.denyNextAuthorization();
        return { status: 204 };
      }
      case "POST /tokens": {
        const body = tokenSchema.parse(parse(await raw()));
        return ok({ token: target.issueUserToken(body.login, body) }, 201);
      }
      case "GET /state":
        return ok(summary(target.state));
      case "GET /requests":
        return ok(target.state.requestLog);
      default:
        return { status: 404, body: { error: `unknown control route ${route}` } };
    }
  } catch (e) {
    if (e instanceof z.ZodError) return bad(e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    return bad(e instanceof Error ? e.message : String(e));
  }
}

/** A readable dump of the model (keys and secrets left out). */
export function summary(state: GitHubState) {
  return {
    users: [...state.users.values()].map((u) => ({ login: u.login, id: u.id, name: u.name, email: u.email })),
    orgs: [...state.orgs.values()].map((o) => ({
      login: o.login,
      id: o.id,
      members: Object.fromEntries([...o.members].map(([k, v]) => [k, v.role])),
      teams: Object.fromEntries([...o.teams.values()].map((t) => [t.slug, Object.fromEntries(t.members)])),
    })),
    repos: [...state.repos.values()].map((r) => ({
      fullName: `${r.owner}/${r.name}`,
      id: r.id,
      private: r.private,
      collaborators: Object.fromEntries(r.collaborators),
      customRoles: Object.fromEntries(r.customRoles),
    })),
    apps: [...state.apps.values()].map((a) => ({ id: a.id, clientId: a.clientId, slug: a.slug })),
    installations: [...state.installations.values()].map((i) => ({
      id: i.id,
      appId: i.appId,
      account: i.account,
      repositorySelection: i.repositorySelection,
      repositories: i.repositories,
      permissions: i.permissions,
      suspended: i.suspended,
    })),
    runners: Object.fromEntries([...state.runners].map(([k, v]) => [k, v.map((r) => ({ id: r.id, name: r.name, status: r.status, busy: r.busy }))])),
    oauthApps: [...state.oauthApps.values()].map((a) => ({ clientId: a.clientId, callbackUrl: a.callbackUrl })),
    authorizeAs: state.nextAuthorizingUser,
    pendingFaults: state.faults.map((f) => ({ route: f.route, remaining: f.remaining, spec: f.spec })),
  };
}
