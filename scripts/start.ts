import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { EnvError, isLoopbackHost, parseEnv, signInModes, type Env } from "@/lib/env";
import { createPrismaClient } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { seedDefaultCluster, seedDemoUsers } from "@/lib/db/seed";
import { EmbeddedPostgresError, freePort, startEmbeddedPostgres, type RunningPostgres } from "./db/embedded-postgres";
import { localSecrets } from "./dev-secrets";
import { startLocalCluster, type LocalCluster } from "./local-cluster";
import { buildPortal, standaloneServer } from "./production-build";

// `npm start`: the portal as it ships (the standalone production server, built once per source
// state) on http://127.0.0.1:3000, with what it needs when nothing else is configured: an
// embedded PostgreSQL, local secrets, demo sign-in and a local cluster, all kept in .data/.
// `npm run dev` is the same with `next dev` (hot reload) instead of the production server.
//
// Flags: --dev, --no-local-cluster (or LOCAL_CLUSTER=off). Environment: PORT, HOST, and every
// variable of the README's configuration table.

const root = path.resolve(import.meta.dirname, "..");
const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");
const dataDir = path.resolve(process.env.PORTAL_DATA_DIR || path.join(root, ".data"));
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST?.trim() || "127.0.0.1";
const say = (msg: string) => console.log(`[start] ${msg}`);
let pg: RunningPostgres | undefined;
let cluster: LocalCluster | undefined;
let server: ChildProcess | undefined;
const fail = (msg: string): never => {
  console.error(`[start] ${msg}`);
  process.exit(1);
};

if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT must be a port number (1-65535), not "${process.env.PORT}"`);

const env: Record<string, string | undefined> = {
  ...process.env,
  NODE_ENV: dev ? "development" : "production",
  NEXT_TELEMETRY_DISABLED: "1",
  // Next's servers read HOSTNAME; the portal's configuration check reads it too (demo sign-in).
  HOSTNAME: host,
  PORT: String(port),
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://${isLoopbackHost(host) || host === "0.0.0.0" ? "localhost" : host}:${port}`,
};
if (!env.GITHUB_CLIENT_ID && env.DEMO_SIGN_IN === undefined) {
  // A local trial without a GitHub OAuth app: the launcher, not the portal, opts in.
  env.DEMO_SIGN_IN = "1";
  say("no GITHUB_CLIENT_ID configured: this local run sets DEMO_SIGN_IN=1");
}

// Every setting is checked before anything starts or is written; what npm start provides itself
// (the embedded database, local secrets) is stood in for until it exists.
const standIns = { DATABASE_URL: "postgresql://embedded/postgres", NEXTAUTH_SECRET: "x".repeat(32), ENCRYPTION_KEY: Buffer.alloc(32).toString("base64") };
let config: Env = checkConfig({ ...env, ...Object.fromEntries(Object.entries(standIns).filter(([k]) => !env[k])) });
Object.assign(env, { ...localSecrets(dataDir), ...pick(process.env, ["NEXTAUTH_SECRET", "ENCRYPTION_KEY"]) });

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  // The portal first (its job workers hold database connections), then what it used.
  if (server && server.exitCode === null) {
    const exited = new Promise<boolean>((r) => server!.once("exit", () => r(true)));
    server.kill("SIGTERM");
    // A server that does not stop in 10 s must not outlive npm start (it would keep the port).
    if (!(await Promise.race([exited, new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]))) server.kill("SIGKILL");
  }
  await cluster?.stop().catch(() => undefined);
  await pg?.stop().catch(() => undefined);
  process.exit(code);
}
// embedded-postgres stops its servers and exits on SIGINT/SIGTERM by itself (async-exit-hook), in
// parallel with the shutdown above: PostgreSQL went down under the running portal's job workers,
// and the portal could outlive this script. The order is this script's alone.
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.removeAllListeners(sig);
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGHUP", () => void shutdown(0));

if (!env.DATABASE_URL) {
  const t = Date.now();
  // A free port each time: a fixed one clashes with another checkout's embedded PostgreSQL.
  pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: await freePort() }).catch((err: unknown) =>
    fail(err instanceof EmbeddedPostgresError ? err.message : `the embedded PostgreSQL did not start: ${(err as Error).message.split("\n")[0]}`),
  );
  env.DATABASE_URL = pg.url;
  say(`embedded PostgreSQL on 127.0.0.1:${pg.port}, data in ${shown(path.join(dataDir, "postgres"))} (${Date.now() - t} ms)`);
} else {
  say("using the database in DATABASE_URL");
}
config = checkConfig(env);

const m = await migrate(config.DATABASE_URL, path.join(root, "prisma/migrations"));
say(`migrations: ${m.applied.length} applied, ${m.alreadyApplied} already in place`);
const db = createPrismaClient(config.DATABASE_URL);
await seedDefaultCluster(db, config.DEFAULT_CLUSTER_NAME);
if (config.DEMO_SIGN_IN) await seedDemoUsers(db);
const registered = await db.cluster.count({ where: { connection: { not: "ENVIRONMENT" } } });
await db.$disconnect();

// The local cluster: only when the portal would otherwise have nowhere to provision.
const inCluster = !!process.env.KUBERNETES_SERVICE_HOST;
const localWanted = !args.has("--no-local-cluster") && process.env.LOCAL_CLUSTER !== "off";
if (config.KUBECONFIG) say(`provisioning on: the cluster in KUBECONFIG ${config.KUBECONFIG}`);
else if (inCluster) say("provisioning on: the cluster this runs in (its service account)");
// The portal provisions only with a connection of its own (lib/provision/service.ts), so registered
// clusters alone leave it off; a local cluster beside them would be a second, unrelated "default".
else if (registered > 0) say(`provisioning off: no KUBECONFIG, and ${registered} registered cluster(s), so no local cluster either; set KUBECONFIG`);
else if (!localWanted) say("provisioning off: no KUBECONFIG, and the local cluster is turned off (--no-local-cluster)");
else {
  const dir = path.join(dataDir, "local-cluster");
  env.LOCAL_CLUSTER_DIR = dir;
  cluster = await startLocalCluster(dir, say, { gpuResource: config.arcSettings.gpuResourceName });
  say("provisioning: on the local cluster once it is ready (no ARC controller there: no runner pod ever starts)");
  void cluster.ready.then((c) => c && say(`local cluster ready: ${c.server}, data in ${shown(dir)}`));
}

if (!dev) {
  const t = Date.now();
  const { built, ok } = await buildPortal(say);
  if (!ok) fail("the production build failed; see above (`npm run dev` serves the sources without a build)");
  if (built) say(`production build done in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}

say(`sign-in: ${signInModes(config)}`);
server = dev
  ? spawn(path.join(root, "node_modules/.bin/next"), ["dev", "--hostname", host, "--port", String(port)], { cwd: root, stdio: "inherit", env: env as NodeJS.ProcessEnv })
  : spawn(path.join(root, "node_modules/.bin/node"), [standaloneServer()], {
      cwd: path.join(root, ".next/standalone"),
      stdio: "inherit",
      env: env as NodeJS.ProcessEnv,
    });
server.on("exit", (code) => void shutdown(code ?? 0));

// Say where to go once the sign-in page really answers.
void (async () => {
  const t = Date.now();
  const probe = `http://${host === "0.0.0.0" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host}:${port}/signin`;
  for (let i = 0; i < 480; i++) {
    if (await fetch(probe).then((r) => r.ok, () => false)) {
      return say(`ready in ${((Date.now() - t) / 1000).toFixed(1)} s: open ${config.NEXTAUTH_URL} (listening on ${host}; sign-in: ${signInModes(config)})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
})();

function checkConfig(source: Record<string, string | undefined>): Env {
  try {
    const parsed = parseEnv(source);
    if (dev && parsed.DEMO_SIGN_IN && !isLoopbackHost(host) && !parsed.DEMO_SIGN_IN_ON_ANY_HOST) {
      // The portal checks this itself in production (lib/env.ts); `next dev` is not production.
      throw new EnvError([
        `HOST=${host} with demo sign-in: anyone who reaches this machine could sign in as any seeded user, an admin among them. ` +
          "Use HOST=127.0.0.1, configure GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, or set DEMO_SIGN_IN_ON_ANY_HOST=1 to accept that",
      ]);
    }
    return parsed;
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(`[start] ${err.message}`);
    // Only the first check can fail (the second adds the embedded database's own URL), before anything started.
    return process.exit(1);
  }
}

/** A path as a person reads it: relative inside the checkout, absolute outside it. */
function shown(p: string) {
  const rel = path.relative(root, p);
  return rel.startsWith("..") ? p : rel;
}

function pick(source: Record<string, string | undefined>, keys: string[]) {
  return Object.fromEntries(keys.filter((k) => source[k]).map((k) => [k, source[k]]));
}
