import { randomBytes } from "node:crypto";
import type { APIRequestContext, Browser } from "@playwright/test";
import { defaultClusterSettings } from "../lib/arc/settings";
import { expect, prisma, requestBody, test, type SeededUser } from "./fixtures";
import { pages, routeHandlers } from "./route-inventory";

// Every route handler and page, read from app/, against five people. A new
// route without a row here fails the first test, so none can be forgotten.

type Persona = "anonymous" | "requester" | "otherTeam" | "reviewer" | "admin";
const PERSONAS: Persona[] = ["anonymous", "requester", "otherTeam", "reviewer", "admin"];
type Expect = Record<Persona, number | number[]>;
const all = (n: number | number[]): Expect => ({ anonymous: n, requester: n, otherTeam: n, reviewer: n, admin: n });
const signedIn = (n: number | number[], anon = 401): Expect => ({ ...all(n), anonymous: anon });

const adminOnly = (admin: number | number[]): Expect => ({ anonymous: 401, requester: 403, otherTeam: 403, reviewer: 403, admin });
/** The default cluster (the run's API server): the one the admin pages under /admin/clusters/[id] are about. */
const clusterId = async () => {
  const name = process.env.DEFAULT_CLUSTER_NAME ?? "ossci";
  return (await prisma.cluster.upsert({ where: { name }, update: {}, create: { name, displayName: name } })).id;
};
/** A small gha-runner-scale-set values file that maps completely with label, namespace and owner given. */
const VALUES_FILE =
  "githubConfigUrl: https://github.com/e2e-org\ngithubConfigSecret: authz-secret\ntemplate:\n  spec:\n    containers:\n" +
  "    - name: runner\n      image: ghcr.io/actions/actions-runner:latest\n      command: [/home/runner/run.sh]\n" +
  "      resources:\n        requests: {memory: 8Gi, cpu: \"2\"}\n";
const valuesImport = (label: string) => ({ file: VALUES_FILE, label, namespace: `arc-${label}`, team: "authz-import", contact: "@authz" });

const body = (label: string) => requestBody({ team: "authz-team", label, namespace: `ns-${label}` });
const label = () => `authz-${randomBytes(4).toString("hex")}`;

interface Ctx {
  api: Record<Persona, APIRequestContext>;
  /** A fresh SUBMITTED request of the requester's team. */
  fresh(): Promise<string>;
  /** The requester's team. */
  teamId(): Promise<string>;
  /** The login of someone who has signed in and is in no team. */
  newcomer(): Promise<string>;
  /** The login of a fresh extra member of the requester's team. */
  extraMember(): Promise<string>;
  /** The id of a fresh throwaway person (so deactivating them costs the matrix no persona), active or already deactivated. */
  throwaway(opts?: { deactivated?: boolean }): Promise<string>;
}

interface Row {
  expect: Expect;
  call(api: APIRequestContext, ctx: Ctx): Promise<{ status(): number }>;
  /** Why a route is outside the portal's gate. */
  outsideGate?: string;
}


const ROUTES: Record<string, Row> = {
  "GET /api/admin/clusters": { expect: adminOnly(200), call: (api) => api.get("/api/admin/clusters") },
  // An empty registration: past the gate it is refused (422), so the run registers no cluster here.
  "POST /api/admin/clusters": { expect: adminOnly(422), call: (api) => api.post("/api/admin/clusters", { data: {} }) },
  "GET /api/admin/clusters/[id]/settings": {
    expect: adminOnly(200),
    call: async (api) => api.get(`/api/admin/clusters/${await clusterId()}/settings`),
  },
  // Invalid settings: past the gate, refused (422) without a write.
  "PUT /api/admin/clusters/[id]/settings": {
    expect: adminOnly(422),
    call: async (api) => api.put(`/api/admin/clusters/${await clusterId()}/settings`, { data: { settings: {}, version: 1 } }),
  },
  "POST /api/admin/clusters/[id]/settings/preview": {
    expect: adminOnly(200),
    call: async (api) => api.post(`/api/admin/clusters/${await clusterId()}/settings/preview`, { data: { settings: defaultClusterSettings } }),
  },
  "GET /api/admin/clusters/[id]/probe": {
    expect: adminOnly(200),
    call: async (api) => api.get(`/api/admin/clusters/${await clusterId()}/probe`),
  },
  "GET /api/auth/[...nextauth]": {
    outsideGate: "next-auth's own endpoints: the sign-in mechanism the gate relies on",
    expect: all(200),
    call: (api) => api.get("/api/auth/providers"),
  },
  "POST /api/auth/[...nextauth]": {
    outsideGate: "next-auth's own endpoints: refuses posts without its CSRF token",
    expect: all([302, 400, 403]),
    call: (api) => api.post("/api/auth/signout", { maxRedirects: 0 }),
  },
  "POST /api/demo-sign-in": { expect: all(404), call: (api) => api.post("/api/demo-sign-in", { form: { login: "alice-demo" } }) },
  "GET /api/health/live": { expect: all(200), call: (api) => api.get("/api/health/live") },
  "GET /api/health/ready": { expect: all(200), call: (api) => api.get("/api/health/ready") },
  // Prometheus' endpoint: a session is no key to it, only METRICS_TOKEN (e2e/ops.spec.ts scrapes with it).
  "GET /api/metrics": { expect: all(401), call: (api) => api.get("/api/metrics") },
  "GET /api/notifications": { expect: signedIn(200), call: (api) => api.get("/api/notifications") },
  "GET /api/local-cluster": { expect: signedIn(200), call: (api) => api.get("/api/local-cluster") },
  "GET /api/review": { expect: { anonymous: 401, requester: 403, otherTeam: 403, reviewer: 200, admin: 200 }, call: (api) => api.get("/api/review") },
  "POST /api/github/check": {
    expect: signedIn(200),
    call: (api) => api.post("/api/github/check", { data: { githubConfigUrl: body("x").githubConfigUrl, githubApp: body("x").githubApp } }),
  },
  "POST /api/requests/[id]/github-check": {
    expect: { anonymous: 401, requester: 200, otherTeam: 404, reviewer: 200, admin: 200 },
    call: async (api, ctx) => api.post(`/api/requests/${await ctx.fresh()}/github-check`),
  },
  "GET /api/requests/[id]/status": {
    expect: { anonymous: 401, requester: 200, otherTeam: 404, reviewer: 200, admin: 200 },
    call: async (api, ctx) => api.get(`/api/requests/${await ctx.fresh()}/status`),
  },
  "GET /api/requests/[id]/capacity": {
    expect: { anonymous: 401, requester: 403, otherTeam: 403, reviewer: 200, admin: 200 },
    call: async (api, ctx) => api.get(`/api/requests/${await ctx.fresh()}/capacity`),
  },
  "GET /api/requests/[id]/github-runners": {
    expect: { anonymous: 401, requester: 200, otherTeam: 404, reviewer: 200, admin: 200 },
    call: async (api, ctx) => api.get(`/api/requests/${await ctx.fresh()}/github-runners`),
  },
  "GET /api/requests": { expect: signedIn(200), call: (api) => api.get("/api/requests") },
  "POST /api/requests": {
    // Everyone signed in may ask for runners; only members may file under an existing team.
    expect: { anonymous: 401, requester: 201, otherTeam: 422, reviewer: 422, admin: 422 },
    call: (api) => api.post("/api/requests", { data: body(label()) }),
  },
  "GET /api/requests/[id]": {
    expect: { anonymous: 401, requester: 200, otherTeam: 404, reviewer: 200, admin: 200 },
    call: async (api, ctx) => api.get(`/api/requests/${await ctx.fresh()}`),
  },
  "PUT /api/requests/[id]": {
    // A submitted request is not editable (409) even by its team; others never get that far.
    expect: { anonymous: 401, requester: 409, otherTeam: 404, reviewer: 403, admin: 403 },
    call: async (api, ctx) => api.put(`/api/requests/${await ctx.fresh()}`, { data: body(label()) }),
  },
  "GET /api/requests/[id]/values": {
    expect: { anonymous: 401, requester: 200, otherTeam: 404, reviewer: 200, admin: 200 },
    call: async (api, ctx) => api.get(`/api/requests/${await ctx.fresh()}/values`),
  },
  "POST /api/requests/[id]/actions": {
    // Approve: never by the requester (own request), 404 for another team, allowed for reviewers and admins.
    expect: { anonymous: 401, requester: 403, otherTeam: 404, reviewer: 200, admin: 200 },
    call: async (api, ctx) => api.post(`/api/requests/${await ctx.fresh()}/actions`, { data: { action: "approve" } }),
  },
  // People: admins deactivate and reactivate throwaway people (never a persona the matrix still needs).
  "POST /api/admin/people/[id]/deactivate": {
    expect: adminOnly(200),
    call: async (api, ctx) => api.post(`/api/admin/people/${await ctx.throwaway()}/deactivate`),
  },
  "POST /api/admin/people/[id]/reactivate": {
    expect: adminOnly(200),
    call: async (api, ctx) => api.post(`/api/admin/people/${await ctx.throwaway({ deactivated: true })}/reactivate`),
  },
  // Teams: members and admins manage, reviewers only see, anyone else is told nothing (404).
  "GET /api/teams/[id]": {
    expect: { anonymous: 401, requester: 200, otherTeam: 404, reviewer: 200, admin: 200 },
    call: async (api, ctx) => api.get(`/api/teams/${await ctx.teamId()}`),
  },
  "POST /api/teams/[id]/members": {
    expect: { anonymous: 401, requester: 201, otherTeam: 404, reviewer: 403, admin: 201 },
    call: async (api, ctx) => api.post(`/api/teams/${await ctx.teamId()}/members`, { data: { login: await ctx.newcomer() } }),
  },
  "DELETE /api/teams/[id]/members/[login]": {
    expect: { anonymous: 401, requester: 200, otherTeam: 404, reviewer: 403, admin: 200 },
    call: async (api, ctx) => api.delete(`/api/teams/${await ctx.teamId()}/members/${await ctx.extraMember()}`),
  },
};

// Import (issue 9): admins only. The live import names a scale set that is not there (404 past the gate).
Object.assign(ROUTES, {
  "GET /api/admin/clusters/[id]/import/live": {
    expect: adminOnly(200),
    call: async (api) => api.get(`/api/admin/clusters/${await clusterId()}/import/live`),
  },
  "POST /api/admin/clusters/[id]/import/live": {
    expect: adminOnly(404),
    call: async (api) => api.post(`/api/admin/clusters/${await clusterId()}/import/live`, { data: { namespace: "authz-none", name: "authz-none", team: "T", contact: "@t" } }),
  },
  "POST /api/admin/clusters/[id]/import/live/preview": {
    expect: adminOnly(404),
    call: async (api) => api.post(`/api/admin/clusters/${await clusterId()}/import/live/preview`, { data: { namespace: "authz-none", name: "authz-none" } }),
  },
  "POST /api/admin/clusters/[id]/import/values": {
    expect: adminOnly(201),
    call: async (api) => api.post(`/api/admin/clusters/${await clusterId()}/import/values`, { data: valuesImport(label()) }),
  },
  "POST /api/admin/clusters/[id]/import/values/preview": {
    expect: adminOnly(200),
    call: async (api) => api.post(`/api/admin/clusters/${await clusterId()}/import/values/preview`, { data: valuesImport(label()) }),
  },
} satisfies Record<string, Row>);

const REVIEW_ACTIONS: Record<string, Expect> = {
  approve: { anonymous: 401, requester: 403, otherTeam: 404, reviewer: 200, admin: 200 },
  reject: { anonymous: 401, requester: 403, otherTeam: 404, reviewer: 200, admin: 200 },
  request_changes: { anonymous: 401, requester: 403, otherTeam: 404, reviewer: 200, admin: 200 },
  // Team actions that do not apply to a submitted request: an illegal transition (409) for those who can see it.
  request_decommission: { anonymous: 401, requester: 409, otherTeam: 404, reviewer: 409, admin: 409 },
  retry: { anonymous: 401, requester: 409, otherTeam: 404, reviewer: 409, admin: 409 },
};

const PAGES: Record<string, Expect> = {
  "/": all(200),
  "/signin": all(200),
  "/requests": all(200),
  "/requests/new": all(200),
  "/review": { anonymous: 200, requester: 403, otherTeam: 403, reviewer: 200, admin: 200 },
  "/requests/[id]": { anonymous: 200, requester: 200, otherTeam: 404, reviewer: 200, admin: 200 },
  "/requests/[id]/edit": { anonymous: 200, requester: 404, otherTeam: 404, reviewer: 404, admin: 404 },
  "/teams": all(200),
  "/teams/[id]": { anonymous: 200, requester: 200, otherTeam: 404, reviewer: 200, admin: 200 },
  "/admin/teams": { anonymous: 200, requester: 403, otherTeam: 403, reviewer: 403, admin: 200 },
  "/admin/people": { anonymous: 200, requester: 403, otherTeam: 403, reviewer: 403, admin: 200 },
  "/admin": { anonymous: 200, requester: 403, otherTeam: 403, reviewer: 403, admin: 200 },
  "/admin/clusters": { anonymous: 200, requester: 403, otherTeam: 403, reviewer: 403, admin: 200 },
  "/admin/clusters/new": { anonymous: 200, requester: 403, otherTeam: 403, reviewer: 403, admin: 200 },
  "/admin/clusters/[id]": { anonymous: 200, requester: 403, otherTeam: 403, reviewer: 403, admin: 200 },
  // [id] is the default cluster's id here (see the pages test).
  "/admin/clusters/[id]/import": { anonymous: 200, requester: 403, otherTeam: 403, reviewer: 403, admin: 200 },
  "/admin/clusters/[id]/import/live": { anonymous: 200, requester: 403, otherTeam: 403, reviewer: 403, admin: 200 },
  "/admin/clusters/[id]/import/values": { anonymous: 200, requester: 403, otherTeam: 403, reviewer: 403, admin: 200 },
};

async function setUp(browser: Browser, users: { create: (o: { role?: SeededUser["role"]; team?: string }) => Promise<SeededUser>; signIn: (c: never, u: SeededUser) => Promise<void> }): Promise<Ctx> {
  const people: Partial<Record<Persona, SeededUser>> = {
    requester: await users.create({ team: "authz-team" }),
    otherTeam: await users.create({ team: "authz-other" }),
    reviewer: await users.create({ role: "REVIEWER" }),
    admin: await users.create({ role: "ADMIN" }),
  };
  const api = {} as Record<Persona, APIRequestContext>;
  for (const p of PERSONAS) {
    const context = await browser.newContext();
    if (people[p]) await users.signIn(context as never, people[p]!);
    api[p] = context.request;
  }
  return {
    api,
    async fresh() {
      const res = await api.requester.post("/api/requests", { data: body(label()) });
      expect(res.status()).toBe(201);
      return (await res.json()).id;
    },
    async teamId() {
      return (await prisma.team.findUniqueOrThrow({ where: { slug: "authz-team" } })).id;
    },
    async newcomer() {
      return (await users.create({})).login;
    },
    async extraMember() {
      return (await users.create({ team: "authz-team" })).login;
    },
    async throwaway({ deactivated = false } = {}) {
      const { id } = await users.create({});
      if (deactivated) await prisma.user.update({ where: { id }, data: { deactivatedAt: new Date() } });
      return id;
    },
  };
}

const matches = (want: number | number[], got: number) => (Array.isArray(want) ? want.includes(got) : want === got);

test("every route handler and page in app/ has an authorisation row", () => {
  expect(routeHandlers()).toEqual(Object.keys(ROUTES).sort());
  expect(pages()).toEqual(Object.keys(PAGES).sort());
});

test("route handlers answer each person as expected", async ({ browser, users }) => {
  const ctx = await setUp(browser, users as never);
  const outcomes: string[] = [];
  for (const [name, row] of Object.entries(ROUTES))
    for (const p of PERSONAS) {
      const got = (await row.call(ctx.api[p], ctx)).status();
      if (!matches(row.expect[p], got)) outcomes.push(`${name} as ${p}: expected ${row.expect[p]}, got ${got}`);
    }
  expect(outcomes).toEqual([]);
});

test("every review action answers each person as expected, on a fresh request each time", async ({ browser, users }) => {
  const ctx = await setUp(browser, users as never);
  const outcomes: string[] = [];
  for (const [action, want] of Object.entries(REVIEW_ACTIONS))
    for (const p of PERSONAS) {
      const id = await ctx.fresh();
      const res = await ctx.api[p].post(`/api/requests/${id}/actions`, { data: { action, reason: "because" } });
      const json = await res.json().catch(() => ({}));
      if (!matches(want[p], res.status())) outcomes.push(`${action} as ${p}: expected ${want[p]}, got ${res.status()} ${JSON.stringify(json)}`);
      if (res.status() >= 400) expect(typeof json.error).toBe("string");
    }
  expect(outcomes).toEqual([]);
});

test("pages answer each person as expected (anonymous visitors land on sign-in)", async ({ browser, users }) => {
  const ctx = await setUp(browser, users as never);
  const id = await ctx.fresh();
  // [id] is a team's id under /teams, a cluster's under /admin/clusters, a request's elsewhere.
  const ids: [string, string][] = [["/teams/", await ctx.teamId()], ["/admin/clusters/", await clusterId()]];
  const outcomes: string[] = [];
  for (const [page, want] of Object.entries(PAGES))
    for (const p of PERSONAS) {
      const res = await ctx.api[p].get(page.replace("[id]", ids.find(([prefix]) => page.startsWith(prefix))?.[1] ?? id));
      if (!matches(want[p], res.status())) outcomes.push(`${page} as ${p}: expected ${want[p]}, got ${res.status()}`);
      if (p === "anonymous" && page !== "/signin") expect(res.url()).toContain("/signin");
    }
  expect(outcomes).toEqual([]);
});

// Issue 15, items 2–4: who may approve (nobody who wrote the answers or is in the team), which role a
// session carries (the lists' of today, for at most the session lifetime), and whose namespace it is.
test("issue 15: approval by authors and team members, roles the lists no longer grant, owned and reserved namespaces", async ({ browser, users }) => {
  const ctx = await setUp(browser, users as never);
  const as = async (user: SeededUser) => {
    const context = await browser.newContext();
    await users.signIn(context as never, user);
    return context.request;
  };
  const outcomes: string[] = [];
  const check = async (what: string, res: { status(): number; json(): Promise<unknown> }, want: number, message?: RegExp) => {
    const json = (await res.json().catch(() => ({}))) as { error?: string };
    if (res.status() !== want || (message && !message.test(json.error ?? ""))) outcomes.push(`${what}: expected ${want} ${message ?? ""}, got ${res.status()} ${JSON.stringify(json)}`);
  };
  const teamId = await ctx.teamId();
  const approve = (api: APIRequestContext, id: string) => api.post(`/api/requests/${id}/actions`, { data: { action: "approve" } });

  // Item 2: a reviewer and an admin the team added; the reviewer rewrites the answers, leaves, and still may not approve.
  const insider = await users.create({ role: "REVIEWER" });
  const insiderAdmin = await users.create({ role: "ADMIN" });
  for (const u of [insider, insiderAdmin]) await check(`adding @${u.role}`, await ctx.api.requester.post(`/api/teams/${teamId}/members`, { data: { login: u.login } }), 201);
  const insiderApi = await as(insider);
  const own = label();
  const created = await ctx.api.requester.post("/api/requests", { data: body(own) });
  const id = (await created.json()).id as string;
  await check("reviewer in the team approves", await approve(insiderApi, id), 403, /member of team authz-team/);
  await check("admin in the team approves", await approve(await as(insiderAdmin), id), 403, /member of team authz-team/);
  await check("uninvolved reviewer sends it back", await ctx.api.reviewer.post(`/api/requests/${id}/actions`, { data: { action: "request_changes", reason: "smaller" } }), 200);
  await check("the insider rewrites it", await insiderApi.put(`/api/requests/${id}`, { data: { ...body(own), maxRunners: 2, intent: "submit" } }), 200);
  await check("the insider leaves the team", await ctx.api.requester.delete(`/api/teams/${teamId}/members/${insider.login}`), 200);
  await check("the insider, out of the team, approves what they wrote", await approve(insiderApi, id), 403, /You wrote or changed the answers under review/);
  await check("the requester approves", await approve(ctx.api.requester, id), 403);
  const history = await (await ctx.api.reviewer.get(`/api/teams/${teamId}`)).json();
  if (!JSON.stringify(history).includes('"targetRole":"ADMIN"')) outcomes.push("the team's history does not say an admin joined");
  await check("an uninvolved reviewer approves", await approve(ctx.api.reviewer, id), 200);

  // Item 3: stored roles the lists no longer grant count for nothing; a session past its lifetime is nobody.
  const exAdmin = await as(await users.create({ login: `ex-admin-${randomBytes(3).toString("hex")}`, role: "ADMIN" }));
  await check("an admin removed from ADMIN_LOGINS lists clusters", await exAdmin.get("/api/admin/clusters"), 403);
  await check("a reviewer removed from REVIEWER_LOGINS reads the queue", await (await as(await users.create({ login: `ex-rev-${randomBytes(3).toString("hex")}`, role: "REVIEWER" }))).get("/api/review"), 403);
  const old = await users.create({ role: "ADMIN" });
  const oldApi = await as(old);
  await prisma.session.updateMany({ where: { userId: old.id }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
  await check("an admin whose session is older than its lifetime", await oldApi.get("/api/admin/clusters"), 401);

  // Item 4: reserved namespaces are refused as the form refuses them; another team's is a 409 naming it, at submission and approval.
  for (const ns of ["arc", "arc-runner-portal", "kube-system"]) {
    await check(`submitting into ${ns}`, await ctx.api.requester.post("/api/requests", { data: { ...body(label()), namespace: ns } }), 422, /Some answers need fixing/);
  }
  const taken = `ns-owned-${randomBytes(3).toString("hex")}`;
  await check("the other team claims a namespace", await ctx.api.otherTeam.post("/api/requests", { data: requestBody({ team: "authz-other", label: label(), namespace: taken }) }), 201);
  await check("submitting into the other team's namespace", await ctx.api.requester.post("/api/requests", { data: { ...body(label()), namespace: taken } }), 409, /belongs to team authz-other/);
  const mine = await ctx.fresh();
  await check("approving into the other team's namespace", await ctx.api.reviewer.post(`/api/requests/${mine}/actions`, { data: { action: "approve", adjustments: { namespace: taken } } }), 409, /belongs to team authz-other/);
  const view = await (await ctx.api.reviewer.get(`/api/requests/${mine}`)).json();
  if (view.request.namespaceOwner?.team !== "authz-team") outcomes.push(`the reviewer is not told whose namespace it is: ${JSON.stringify(view.request.namespaceOwner)}`);
  expect(outcomes).toEqual([]);
});
