import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { createPrismaClient } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { createDatabase, freePort, startEmbeddedPostgres, type RunningPostgres } from "../scripts/db/embedded-postgres";
import { startPortal, type RunningPortal } from "../test/harness/portal";
import { TEST_SECRETS } from "../test/harness/test-env";
import { E2E_GITHUB, staffLists } from "./github-seed";
import { appPem, expect, INSTALLATION, PORTAL_APP, test } from "./fixtures";
import { startRecordingProxy, type RecordingProxy } from "./recording-proxy";

// PostgreSQL goes away under a running portal and comes back. A portal of its
// own (the production build, provisioning worker and all) on a PostgreSQL of
// its own, so the outage touches nothing else: while the database is down,
// every API call is a 503 that says so, never a 500, and the process stays up;
// once it is back, the same calls succeed with nobody restarting anything.

const root = path.resolve(import.meta.dirname, "..");
const UNAVAILABLE = "The portal's database is unavailable right now. Try again in a minute.";

let pg: RunningPostgres;
let pgPort: number;
let dataDir: string;
let portal: RunningPortal;
let proxy: RecordingProxy;
let member: string;
let reviewer: string;

const startPg = () => startEmbeddedPostgres({ dataDir, port: pgPort, persistent: true });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  pgPort = await freePort();
  dataDir = path.join(root, ".data", `e2e-pg-restart-${process.pid}`);
  await rm(dataDir, { recursive: true, force: true });
  pg = await startPg();
  const url = await createDatabase(pg.url, "portal_restart");
  await migrate(url, path.join(root, "prisma/migrations"));

  const prisma = createPrismaClient(url, 2);
  const session = async (login: string, role: "REQUESTER" | "REVIEWER") => {
    const user = await prisma.user.create({ data: { login, name: login, role } });
    const token = randomBytes(32).toString("hex");
    await prisma.session.create({ data: { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 3_600_000) } });
    return `next-auth.session-token=${token}`;
  };
  member = await session("restart-member", "REQUESTER");
  reviewer = await session("restart-reviewer", "REVIEWER");
  await prisma.$disconnect();

  // The same cluster connection as the suite's portal: its provisioning worker (pg-boss) lives through the outage too.
  const kube = JSON.parse(process.env.E2E_KUBE!) as { server: string; token: string; caData: string };
  const runDir = process.env.E2E_RUN_DIR!;
  const kubeconfig = path.join(runDir, "pg-restart.kubeconfig.json");
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "t", cluster: { server: kube.server, "certificate-authority-data": Buffer.from(kube.caData).toString("base64") } }],
      users: [{ name: "t", user: { token: kube.token } }],
      contexts: [{ name: "t", context: { cluster: "t", user: "t" } }],
      "current-context": "t",
    }),
    { mode: 0o600 },
  );
  const portalPort = await freePort();
  proxy = await startRecordingProxy({ port: await freePort(), target: `http://localhost:${portalPort}`, file: path.join(runDir, "responses-pg-restart.jsonl") });
  portal = await startPortal({
    port: portalPort,
    logFile: path.join(runDir, "portal-pg-restart.log"),
    env: {
      ...TEST_SECRETS,
      NEXTAUTH_URL: proxy.url,
      DATABASE_URL: url,
      GITHUB_URL: process.env.E2E_GITHUB_URL!,
      GITHUB_API_URL: process.env.E2E_GITHUB_API_URL!,
      GITHUB_CLIENT_ID: E2E_GITHUB.oauthApp.clientId,
      GITHUB_CLIENT_SECRET: E2E_GITHUB.oauthApp.clientSecret,
      KUBECONFIG: kubeconfig,
      LOG_LEVEL: "info",
      ...staffLists({ reviewers: ["restart-reviewer"] }),
    },
  });
});

test.afterAll(async () => {
  await portal?.stop();
  await proxy?.close();
  await pg?.stop().catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
});

function call(method: "GET" | "POST", p: string, cookie: string, body?: unknown) {
  return fetch(`${proxy.url}${p}`, {
    method,
    redirect: "manual",
    headers: { cookie, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
}

const submission = (label: string) => ({
  team: "restart-team",
  contact: "@restart",
  githubConfigUrl: "https://github.com/e2e-org",
  label,
  namespace: `ns-${label}`,
  memory: "8Gi",
  cpu: "2",
  gpus: 0,
  minRunners: 0,
  maxRunners: 1,
  docker: false,
  githubApp: { appId: String(PORTAL_APP.id), installationId: String(INSTALLATION["e2e-org"]), privateKey: appPem() },
});

/** The API calls a person makes, each with the answer it must give while the database is up. */
const CALLS = [
  { name: "My requests", go: () => call("GET", "/api/requests", member), ok: 200 },
  { name: "the review queue", go: () => call("GET", "/api/review?status=ALL", reviewer), ok: 200 },
  { name: "badges", go: () => call("GET", "/api/notifications", member), ok: 200 },
  { name: "a submission", go: () => call("POST", "/api/requests", member, submission(`restart-${randomBytes(3).toString("hex")}`)), ok: 201 },
  { name: "readiness", go: () => call("GET", "/api/health/ready", ""), ok: 200 },
];

test("PostgreSQL stops and starts again under a running portal: clean 503s during, success after, no manual step", async ({ browser }) => {
  test.setTimeout(180_000);
  for (const c of CALLS) expect((await c.go()).status, `${c.name} before the outage`).toBe(c.ok);
  const before = await (await call("GET", "/api/requests", member)).json();
  expect(before.requests).toHaveLength(1);

  await pg.stop();
  const outage: string[] = [];
  for (let round = 0; round < 2; round++)
    for (const c of CALLS) {
      const res = await c.go();
      const text = await res.text();
      const json = JSON.parse(text) as { error?: string };
      if (res.status !== 503) outage.push(`${c.name}: ${res.status} ${text.slice(0, 200)}`);
      else if (c.name !== "readiness" && json.error !== UNAVAILABLE) outage.push(`${c.name}: message ${JSON.stringify(json.error)}`);
    }
  expect(outage).toEqual([]);
  // Liveness is about the process, not its dependencies: it stays 200, so nothing restarts the portal for an outage it survives.
  expect((await call("GET", "/api/health/live", "")).status).toBe(200);
  // Pages during the outage, in a browser: Next.js answers a page that failed with 500 whatever
  // the cause (a server component can only choose 404, 403 or 401), so the page says what happened.
  const context = await browser.newContext();
  await context.addCookies([{ name: "next-auth.session-token", value: member.split("=")[1]!, url: proxy.url }]);
  const tab = await context.newPage();
  for (const p of ["/requests", "/requests/new", "/review"]) {
    const res = await tab.goto(`${proxy.url}${p}`);
    expect(res?.status(), `${p} during the outage`).toBe(500);
    await expect(tab.getByRole("heading", { name: "The database is unavailable" }), `${p} during the outage`).toBeVisible();
    await expect(tab.getByText(UNAVAILABLE)).toBeVisible();
  }
  await context.close();

  pg = await startPg();
  const deadline = Date.now() + 30_000;
  let recovered = 0;
  while (Date.now() < deadline) {
    const res = await call("GET", "/api/requests", member);
    if (res.status === 200) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  recovered = 30_000 - (deadline - Date.now());
  for (const c of CALLS) expect((await c.go()).status, `${c.name} after the outage`).toBe(c.ok);
  const after = await (await call("GET", "/api/requests", member)).json();
  expect(after.requests).toHaveLength(2);
  console.log(`[pg-restart] the first call succeeded ${(recovered / 1000).toFixed(1)} s after PostgreSQL was started again`);

  // The provisioning worker (pg-boss, its own connections) came back too: an approval is provisioned.
  const first = before.requests[0].id as string;
  const approved = await call("POST", `/api/requests/${first}/actions`, reviewer, { action: "approve" });
  expect(approved.status, await approved.clone().text()).toBe(200);
  await expect
    .poll(async () => (await (await call("GET", `/api/requests/${first}`, member)).json()).request.status, { timeout: 60_000 })
    .toBe("READY");
});
