import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import pg from "pg";
import { MAX_VALUES_ENTRIES, readValuesFile } from "@/lib/arc/import-values";
import { seal } from "@/lib/crypto/aes-gcm";
import { freePort } from "@/scripts/db/embedded-postgres";
import { startTestDatabase } from "@/test/harness/database";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { startPortal } from "@/test/harness/portal";
import { TEST_SECRETS } from "@/test/harness/test-env";
import { seedRequests, seedSubmitted } from "./bench/seed";

// `npm run bench`: seeds 10,000 requests with their audit events into a fresh
// database, starts the production build and a minimal node:http + pg server
// that answers the same pages with the same SQL (the physical baseline), and
// prints one table:
//   row 1  the list APIs at 50 connections, portal next to baseline (and, for reference, the
//          portal with its read caches off)
//   row 2  approval → objects applied on a real kube-apiserver
//   row 3  first-load JavaScript of the form page and the request page
//   row 4  reading an uploaded values file: near the key limit, and with more keys (refused)
// Measurements run one after the other in this one run, never at the same
// time: the machine has 2 cores, and the load generator needs one of them.
//
// BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 50), BENCH_ROUNDS
// (default 1: portal, no cache, baseline; 2 adds them again in reverse order) tune row 1;
// BENCH_ROW2=0 leaves out row 2 (and the kube-apiserver it starts).
// BENCH_ROWS picks rows, e.g. BENCH_ROWS=1 (row 1 only, to iterate on the API) or
// BENCH_ROWS=3 (BENCH_ROWS=4 alone needs no database, build or portal); the default is all four. BENCH_PROFILE=1 writes a V8 CPU profile of the
// portal's process to .cache/bench/profile/ when it stops (open it in Chrome's DevTools).

const root = path.resolve(import.meta.dirname, "..");
const outDir = path.join(root, ".cache/bench");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const ROWS = new Set((process.env.BENCH_ROWS ?? "1,2,3,4").split(",").map((r) => r.trim()));
const ROW1 = ROWS.has("1");
const ROW2 = ROWS.has("2") && process.env.BENCH_ROW2 !== "0";
const ROW3 = ROWS.has("3");
const ROW4 = ROWS.has("4");
const REQUESTS = 10_000;
const TARGET = { throughputRatio: 0.6, p99Ratio: 1.5, firstLoadKb: 180, pickupP50Ms: 300, hundredSeconds: 15 };

// The project's Node 24 for every child (next build, the portal, the baseline), as under `npm run`.
process.env.PATH = `${path.join(root, "node_modules/.bin")}${path.delimiter}${process.env.PATH}`;

const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

// ------------------------------------------------------------------ build

/** The newest modification time under the sources a production build depends on. */
function newestSource(): number {
  let newest = 0;
  const visit = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) visit(path.join(p, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ["app", "components", "lib", "proxy.ts", "instrumentation.ts", "next.config.js", "package-lock.json"]) {
    if (existsSync(path.join(root, p))) visit(path.join(root, p));
  }
  return newest;
}

function ensureBuild() {
  const buildId = path.join(root, ".next/BUILD_ID");
  if (existsSync(buildId) && statSync(buildId).mtimeMs > newestSource()) return say("the production build is up to date");
  say("building the portal (next build) …");
  const r = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) throw new Error("next build failed");
}

// ------------------------------------------------------------------ baseline

async function startBaseline(databaseUrl: string): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    path.join(root, "node_modules/.bin/node"),
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "scripts/bench/baseline-server.ts")],
    { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), NODE_ENV: "production" }, stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("listening") && resolve());
    child.on("exit", (code) => reject(new Error(`the baseline server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => void child.kill("SIGTERM") };
}

// ------------------------------------------------------------------ row 1

interface Load {
  /** ms of the server process's CPU per answer. */
  cpuPerRequest: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  bad: number;
}

/** The process listening on a local TCP port (Linux: the socket's inode in /proc/net/tcp*, then whose fd it is). */
function pidListeningOn(port: number): number | null {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hex}`) && f[3] === "0A") inodes.add(f[9]!);
    }
  }
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return Number(pid);
      }
    } catch {
      // Another user's process, or gone.
    }
  }
  return null;
}

/** CPU time (user + system) a process has used so far, in ms. */
function cpuMs(pid: number | null): number {
  if (pid === null) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim()) || 100;

async function load(url: string, cookie: string, seconds: number): Promise<Load> {
  const times: number[] = [];
  // The server's own CPU per answer: unlike rps, it hardly moves with what else runs on the machine.
  const pid = pidListeningOn(Number(new URL(url).port));
  const cpuBefore = cpuMs(pid);
  const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { cookie }, timeout: 30 });
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const result = await instance;
  const cpuPerRequest = (cpuMs(pid) - cpuBefore) / result.requests.total;
  times.sort((a, b) => a - b);
  return {
    cpuPerRequest,
    rps: result.requests.total / (result.duration || seconds),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    requests: result.requests.total,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

type Server = "portal" | "uncached" | "baseline";
const SERVER_NAMES: Record<Server, string> = { portal: "portal", uncached: "no cache", baseline: "baseline" };

interface ListRow {
  name: string;
  path: string;
  cookie: string;
  rows: number;
  portal: Load;
  /** The portal with READ_CACHE=off: every answer read from PostgreSQL, as the baseline does. */
  uncached: Load;
  baseline: Load;
}

async function measureList(name: string, p: string, cookie: string, urls: Record<Server, string>): Promise<ListRow> {
  // The same page from all three, or the comparison means nothing.
  const get = async (base: string) => {
    const res = await fetch(`${base}${p}`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${base}${p} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { requests: unknown[] };
  };
  const [a, b, c] = [await get(urls.portal), await get(urls.uncached), await get(urls.baseline)];
  if (!isDeepStrictEqual(a, c) || !isDeepStrictEqual(b, c)) throw new Error(`${p}: the portal and the baseline answer different pages`);
  say(`${name}: ${a.requests.length} rows, same JSON from all; warming up`);
  for (const who of ["portal", "uncached", "baseline"] as const) await load(`${urls[who]}${p}`, cookie, 3);
  const runs: Record<Server, Load[]> = { portal: [], uncached: [], baseline: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (["portal", "uncached", "baseline"] as const) : (["baseline", "uncached", "portal"] as const);
    for (const who of order) {
      const r = await load(`${urls[who]}${p}`, cookie, SECONDS);
      if (r.bad > 0) throw new Error(`${who} ${p}: ${r.bad} failed requests under load`);
      say(`  ${SERVER_NAMES[who].padEnd(8)} ${r.rps.toFixed(0)} rps, p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}; ${r.cpuPerRequest.toFixed(2)} ms of server CPU per answer; load average ${os.loadavg()[0]!.toFixed(1)}`);
      runs[who].push(r);
    }
  }
  const best = (xs: Load[]) => xs.reduce((m, x) => (x.rps > m.rps ? x : m));
  return { name, path: p, cookie, rows: a.requests.length, portal: best(runs.portal), uncached: best(runs.uncached), baseline: best(runs.baseline) };
}

// ------------------------------------------------------------------ row 3

/**
 * The JavaScript files a page's HTML makes the browser load, gzipped (level 9) and summed.
 * `nomodule` scripts (Next's polyfills for browsers without ES modules) are left out: a
 * current browser neither downloads nor runs them.
 */
async function firstLoadJs(portalUrl: string, page: string, cookie: string): Promise<{ kb: number; files: number }> {
  const res = await fetch(`${portalUrl}${page}`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`${page} answered ${res.status}`);
  const html = await res.text();
  const tags = [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]).filter((tag) => !/\snomodule\b/i.test(tag));
  const srcs = new Set(tags.map((tag) => /\ssrc="([^"]+\.js[^"]*)"/.exec(tag)?.[1]).filter((s): s is string => Boolean(s)));
  let bytes = 0;
  for (const src of srcs) {
    const js = Buffer.from(await (await fetch(new URL(src, portalUrl))).arrayBuffer());
    bytes += gzipSync(js, { level: 9 }).length;
  }
  return { kb: bytes / 1000, files: srcs.size };
}

// ------------------------------------------------------------------ row 2

interface Provisioned {
  pickupToReady: number[];
  approveToPickup: number[];
  approveToReady: number[];
  failed: number;
}

async function eventTimes(db: pg.Client, ids: string[]) {
  const { rows } = await db.query(
    `SELECT r.id, r.status,
            min(e."createdAt") FILTER (WHERE e."toStatus" = 'APPROVED') AS approved,
            min(e."createdAt") FILTER (WHERE e."toStatus" = 'PROVISIONING') AS picked,
            max(e."createdAt") FILTER (WHERE e."toStatus" IN ('READY', 'FAILED')) AS done
     FROM "RunnerRequest" r JOIN "RequestEvent" e ON e."requestId" = r.id
     WHERE r.id = ANY($1) GROUP BY r.id, r.status`,
    [ids],
  );
  return rows as { id: string; status: string; approved: Date; picked: Date | null; done: Date | null }[];
}

async function waitForOutcome(db: pg.Client, ids: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "RunnerRequest" WHERE id = ANY($1) AND status IN ('READY', 'FAILED')`, [ids]);
    if (rows[0].n === ids.length) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`provisioning did not finish within ${timeoutMs / 1000} s`);
}

async function approve(portalUrl: string, cookie: string, id: string) {
  const res = await fetch(`${portalUrl}/api/requests/${id}/actions`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ action: "approve" }),
  });
  if (res.status !== 200) throw new Error(`approving ${id}: ${res.status} ${await res.text()}`);
}

async function provisioning(databaseUrl: string, portalUrl: string, reviewer: string) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const spki = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  const key = { sealedKey: seal(pem, TEST_SECRETS.ENCRYPTION_KEY), fingerprint: `SHA256:${createHash("sha256").update(spki).digest("base64")}` };
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const singles = await seedSubmitted(databaseUrl, { count: 20, prefix: "single", ...key });
    const single: Provisioned = { pickupToReady: [], approveToPickup: [], approveToReady: [], failed: 0 };
    for (const id of singles) {
      await approve(portalUrl, reviewer, id);
      await waitForOutcome(db, [id], 60_000);
    }
    for (const r of await eventTimes(db, singles)) {
      if (r.status !== "READY") single.failed++;
      else {
        single.pickupToReady.push(r.done!.getTime() - r.picked!.getTime());
        single.approveToPickup.push(r.picked!.getTime() - r.approved.getTime());
        single.approveToReady.push(r.done!.getTime() - r.approved.getTime());
      }
    }
    const bulk = await seedSubmitted(databaseUrl, { count: 100, prefix: "bulk", ...key });
    const started = Date.now();
    await Promise.all(bulk.map((id) => approve(portalUrl, reviewer, id)));
    const approvedIn = Date.now() - started;
    await waitForOutcome(db, bulk, 300_000);
    const wall = Date.now() - started;
    const bulkRows = await eventTimes(db, bulk);
    const ready = bulkRows.filter((r) => r.status === "READY");
    const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
    return {
      single,
      approvedIn,
      wall,
      bulkFailed: bulkRows.length - ready.length,
      // Per request inside the burst: how long it queued behind the others, and how long its own run took.
      bulkApproveToPickup: sorted(ready.map((r) => r.picked!.getTime() - r.approved.getTime())),
      bulkPickupToReady: sorted(ready.map((r) => r.done!.getTime() - r.picked!.getTime())),
    };
  } finally {
    await db.end();
  }
}

// ------------------------------------------------------------------ main

// ------------------------------------------------------------------ row 4

/**
 * Milliseconds of one event-loop turn to read a values file of `keys` annotations, and its problem.
 * Files over MAX_VALUES_FILE_CHARS (22,000 keys here) never get this far: the route refuses them first.
 */
function valuesRead(keys: number): { keys: number; kib: number; ms: number; problem: string | undefined } {
  const file = `githubConfigUrl: https://github.com/x\ntemplate:\n  metadata:\n    annotations: {${Array.from({ length: keys }, (_, i) => `k${i}: v`).join(", ")}}\n`;
  const started = performance.now();
  const read = readValuesFile(file);
  return { keys, kib: file.length / 1024, ms: performance.now() - started, problem: read.problems[0] };
}

function valuesRows(): string[] {
  // Warm up the parser first: the first file read pays for its compilation.
  valuesRead(1_000);
  return [1_000, MAX_VALUES_ENTRIES - 10, 6_000, 22_000].map(valuesRead).map(
    (r) => `  ${r.keys.toLocaleString("en").padStart(6)} keys, ${r.kib.toFixed(0).padStart(3)} KiB: ${ms(r.ms).padStart(8)}  ${r.problem ? `refused: ${r.problem.slice(0, 60)}…` : "read"}`,
  );
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const row4 = ROW4 ? valuesRows() : null;
  if (row4 && ROWS.size === 1) {
    process.stdout.write(`\nRow 4: reading an uploaded values file (one event-loop turn each)\n${row4.join("\n")}\n`);
    return;
  }
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));
  try {
    const database = await startTestDatabase("bench");
    cleanups.push(() => database.stop());
    let t = Date.now();
    const seeded = await seedRequests(database.url, REQUESTS);
    say(`seeded ${seeded.requests} requests and ${seeded.events} audit events in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    ensureBuild();
    let kube: KubeCluster | null = null;
    let kubeProblem = "left out (BENCH_ROW2=0 or BENCH_ROWS)";
    if (ROW2) {
      try {
        t = Date.now();
        kube = await startKube();
        cleanups.push(() => kube!.stop());
        say(`kube-apiserver with the ARC CRDs up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      } catch (err) {
        kubeProblem = (err as Error).message;
        say(`no kube-apiserver, row 2 is skipped: ${kubeProblem}`);
      }
    }
    const portalEnv = {
      ...TEST_SECRETS,
      DATABASE_URL: database.url,
      // Sign-in is not exercised (sessions are seeded); nothing here may reach GitHub.
      GITHUB_CLIENT_ID: "Iv1.0000000000bench0",
      GITHUB_CLIENT_SECRET: "bench",
      GITHUB_URL: "http://127.0.0.1:9",
      GITHUB_API_URL: "http://127.0.0.1:9",
      LOG_LEVEL: "info",
    };
    const portal = await startPortal({
      port: await freePort(),
      logFile: path.join(outDir, "portal.log"),
      env: {
        ...portalEnv,
        ...(process.env.BENCH_PROFILE === "1" ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(outDir, "profile")}` } : {}),
        ...(kube ? { KUBECONFIG: kube.kubeconfigPath } : {}),
      },
    });
    cleanups.push(() => portal.stop());
    const baseline = ROW1 ? await startBaseline(database.url) : null;
    if (baseline) cleanups.push(() => baseline.stop());
    // The same build with the read caches off, for row 1 only: stopped before row 2, it never takes provisioning jobs.
    const uncached = ROW1 ? await startPortal({ port: await freePort(), logFile: path.join(outDir, "portal-uncached.log"), env: { ...portalEnv, READ_CACHE: "off" } }) : null;
    if (uncached) cleanups.push(() => uncached.stop());

    // Anything else running on the machine takes from both servers alike, but not equally: the
    // figures say how busy it was.
    const loadBefore = os.loadavg()[0]!;
    const lists: ListRow[] = [];
    if (baseline && uncached) {
      const urls = { portal: portal.url, uncached: uncached.url, baseline: baseline.url };
      say(`row 1: ${CONNECTIONS} connections, ${SECONDS} s per measurement, ${ROUNDS} round(s); load average ${loadBefore.toFixed(1)}`);
      lists.push(
        await measureList(`My requests, a member of a team with ${seeded.memberTeamSize} requests`, "/api/requests", seeded.member, urls),
        await measureList("My requests, a reviewer (all 10,000 visible)", "/api/requests", seeded.reviewer, urls),
        await measureList("Review queue, status=ALL", "/api/review?status=ALL", seeded.reviewer, urls),
      );
      await uncached.stop();
    }

    let loadAfter = os.loadavg()[0]!;
    let form: { kb: number; files: number } | null = null;
    let page: { kb: number; files: number } | null = null;
    if (ROW3) {
      say("row 3: first-load JavaScript");
      form = await firstLoadJs(portal.url, "/requests/new", seeded.member);
      page = await firstLoadJs(portal.url, "/requests/req-000040", seeded.member);
    }

    let prov: Awaited<ReturnType<typeof provisioning>> | null = null;
    if (kube) {
      say(`row 2: approvals, 20 one at a time, then 100 at once; load average ${os.loadavg()[0]!.toFixed(1)}`);
      prov = await provisioning(database.url, portal.url, seeded.reviewer);
      if (!ROW1) loadAfter = os.loadavg()[0]!;
    }

    // ---------------------------------------------------------------- the table
    const lines: string[] = [];
    const out = (s = "") => lines.push(s);
    const pad = (s: string, n: number) => s.padEnd(n);
    const num = (s: string, n: number) => s.padStart(n);
    const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
    out(`npm run bench: ${REQUESTS.toLocaleString("en")} requests, ${seeded.events.toLocaleString("en")} audit events; node ${process.version}, ${CONNECTIONS} connections, ${SECONDS} s per measurement`);
    out();
    out(`1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${os.cpus().length} cores`);
    out();
    out("Row 1: list APIs under load");
    if (!ROW1) out("  left out (BENCH_ROWS)");
    else out(`${pad("", 64)} server       rps      p50      p95      p99   CPU/answer`);
    for (const r of lists) {
      const first = [`${r.name} (${r.rows} rows)`, `  GET ${r.path}`, ""];
      (["portal", "uncached", "baseline"] as const).forEach((who, i) => {
        const l = r[who];
        out(`${pad(first[i]!, 64)} ${pad(SERVER_NAMES[who], 9)} ${num(l.rps.toFixed(0), 7)} ${num(ms(l.p50), 8)} ${num(ms(l.p95), 8)} ${num(ms(l.p99), 8)} ${num(ms(l.cpuPerRequest), 9)}`);
      });
      const tr = r.portal.rps / r.baseline.rps;
      const pr = r.portal.p99 / r.baseline.p99;
      out(`${pad("", 64)} ratio     throughput ${(tr * 100).toFixed(0)}% (target ≥ 60%: ${verdict(tr >= TARGET.throughputRatio)}), p99 ${pr.toFixed(2)}× (target ≤ 1.5×: ${verdict(pr <= TARGET.p99Ratio)})`);
      out(`${pad("", 64)} no cache  throughput ${((r.uncached.rps / r.baseline.rps) * 100).toFixed(0)}%, p99 ${(r.uncached.p99 / r.baseline.p99).toFixed(2)}× (for reference: every answer read from PostgreSQL)`);
    }
    out();
    out("Row 2: approval → objects applied on a real kube-apiserver");
    if (prov) {
      const pick = [...prov.single.pickupToReady].sort((a, b) => a - b);
      const all = [...prov.single.approveToReady].sort((a, b) => a - b);
      const wait = [...prov.single.approveToPickup].sort((a, b) => a - b);
      out(`  one approval at a time (${pick.length} of 20 READY): from job pick-up p50 ${ms(percentile(pick, 50))}, p95 ${ms(percentile(pick, 95))} (target p50 < 300 ms: ${verdict(percentile(pick, 50) < TARGET.pickupP50Ms)})`);
      out(`                                   from approval    p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))} (approval to pick-up p50 ${ms(percentile(wait, 50))}, p95 ${ms(percentile(wait, 95))})`);
      out(`  100 approvals at once: all READY ${(prov.wall / 1000).toFixed(1)} s after the first was sent (approvals answered in ${(prov.approvedIn / 1000).toFixed(1)} s; ${prov.bulkFailed} FAILED) (target < 15 s: ${verdict(prov.wall / 1000 < TARGET.hundredSeconds && prov.bulkFailed === 0)})`);
      out(`                         per request: approval to pick-up p50 ${ms(percentile(prov.bulkApproveToPickup, 50))}, p95 ${ms(percentile(prov.bulkApproveToPickup, 95))}; pick-up to READY p50 ${ms(percentile(prov.bulkPickupToReady, 50))}, p95 ${ms(percentile(prov.bulkPickupToReady, 95))}`);
    } else out(`  n/a: ${ROW2 ? kubeProblem : "left out (BENCH_ROWS)"}`);
    out();
    out("Row 3: first-load JavaScript of the production build, gzip -9");
    if (form && page) {
      out(`  /requests/new    ${form.kb.toFixed(1)} kB in ${form.files} files (target < 180 kB: ${verdict(form.kb < TARGET.firstLoadKb)})`);
      out(`  /requests/[id]   ${page.kb.toFixed(1)} kB in ${page.files} files (target < 180 kB: ${verdict(page.kb < TARGET.firstLoadKb)})`);
    } else out("  left out (BENCH_ROWS)");
    out();
    out("Row 4: reading an uploaded values file (one event-loop turn each)");
    for (const line of row4 ?? ["  left out (BENCH_ROWS)"]) out(line);
    process.stdout.write(`\n${lines.join("\n")}\n`);
    writeFileSync(
      path.join(outDir, "results.json"),
      JSON.stringify({ at: new Date().toISOString(), loadAverage: { before: loadBefore, after: loadAfter }, seconds: SECONDS, connections: CONNECTIONS, rounds: ROUNDS, lists: lists.map(({ cookie: _, ...r }) => r), firstLoad: { form, page }, provisioning: prov, kubeProblem }, null, 2),
    );
    say(`results in ${path.relative(root, path.join(outDir, "results.json"))}, the portal's log in ${path.relative(root, path.join(outDir, "portal.log"))}`);
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`[bench] failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
