import { randomBytes } from "node:crypto";
import { appPem, expect, INSTALLATION, PORTAL_APP, prisma, test } from "./fixtures";

// Load through the real HTTP interface of the production build: 200 people
// submit at the same moment, each with their own session; then 20 people race
// for one runner label. Requests go out with node's fetch, which opens as many
// connections as asked (a browser would cap them at 6 per host).

const BASE_URL = `http://localhost:${process.env.E2E_PORT}`;
const RUN = randomBytes(3).toString("hex");

function submission(team: string, label: string) {
  return {
    team,
    contact: "@load",
    githubConfigUrl: "https://github.com/e2e-org",
    label,
    namespace: `ns-${label}`,
    memory: "16Gi",
    cpu: "4",
    gpus: 1,
    minRunners: 0,
    maxRunners: 2,
    docker: false,
    githubApp: { appId: String(PORTAL_APP.id), installationId: String(INSTALLATION["e2e-org"]), privateKey: appPem() },
  };
}

/** n people, each signed in; returns their session cookies, in order. */
async function people(n: number, prefix: string): Promise<{ id: string; cookie: string }[]> {
  const users = Array.from({ length: n }, (_, i) => ({ login: `${prefix}-${RUN}-${i}`, name: `${prefix} ${i}` }));
  await prisma.user.createMany({ data: users });
  const rows = await prisma.user.findMany({ where: { login: { in: users.map((u) => u.login) } }, select: { id: true, login: true } });
  const byLogin = new Map(rows.map((r) => [r.login, r.id]));
  const sessions = users.map((u) => ({ userId: byLogin.get(u.login)!, sessionToken: randomBytes(32).toString("hex"), expires: new Date(Date.now() + 3_600_000) }));
  await prisma.session.createMany({ data: sessions });
  return sessions.map((s) => ({ id: s.userId, cookie: `next-auth.session-token=${s.sessionToken}` }));
}

async function post(cookie: string, body: unknown) {
  const started = performance.now();
  const res = await fetch(`${BASE_URL}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> | null, ms: performance.now() - started };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

test("200 people submit at once: all 200 stored, no error, no duplicate", async () => {
  test.setTimeout(180_000);
  const N = 200;
  const crowd = await people(N, "load");
  const labels = crowd.map((_, i) => `load-${RUN}-${i}`);

  const started = performance.now();
  const answers = await Promise.all(crowd.map((p, i) => post(p.cookie, submission(`Load ${RUN} ${i}`, labels[i]!))));
  const wall = performance.now() - started;

  const failed = answers.map((a, i) => ({ i, ...a })).filter((a) => a.status !== 201);
  expect(failed.map((a) => `${labels[a.i]}: ${a.status} ${JSON.stringify(a.json)}`)).toEqual([]);

  const stored = await prisma.runnerRequest.findMany({
    where: { label: { in: labels } },
    select: { id: true, number: true, label: true, status: true, requesterId: true, labelClaim: { select: { label: true } }, events: { select: { type: true } } },
  });
  expect(stored).toHaveLength(N);
  expect(new Set(stored.map((r) => r.label)).size).toBe(N);
  expect(new Set(stored.map((r) => r.number)).size).toBe(N);
  expect(new Set(answers.map((a) => a.json?.id)).size).toBe(N);
  expect(stored.every((r) => r.status === "SUBMITTED")).toBe(true);
  expect(stored.every((r) => r.labelClaim?.label === r.label)).toBe(true);
  expect(stored.every((r) => r.events.length === 1 && r.events[0]!.type === "submitted")).toBe(true);
  // Each person's request is theirs, once.
  expect(new Set(stored.map((r) => r.requesterId))).toEqual(new Set(crowd.map((p) => p.id)));

  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  console.log(
    `[load] ${N} concurrent submissions: all 201 in ${(wall / 1000).toFixed(1)} s wall; ` +
      `latency p50 ${percentile(ms, 50).toFixed(0)} ms, p95 ${percentile(ms, 95).toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms`,
  );
});

test("20 people race for one runner label: exactly one gets it, the others a 409", async () => {
  const racers = await people(20, "race");
  const label = `race-${RUN}`;
  const answers = await Promise.all(racers.map((p, i) => post(p.cookie, submission(`Race ${RUN} ${i}`, label))));
  const statuses = answers.map((a) => a.status).sort();
  expect(statuses).toEqual([201, ...Array(19).fill(409)]);
  for (const a of answers.filter((x) => x.status === 409)) expect(String(a.json?.error)).toMatch(new RegExp(`"${label}" is already used`));
  expect(await prisma.runnerRequest.count({ where: { label } })).toBe(1);
  expect(await prisma.labelClaim.count({ where: { label } })).toBe(1);
});
