import { spawn } from "node:child_process";
import path from "node:path";
import { EnvError, parseEnv, signInModes } from "@/lib/env";
import { createPrismaClient } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { seedDefaultCluster, seedDemoUsers } from "@/lib/db/seed";
import { startEmbeddedPostgres, type RunningPostgres } from "./db/embedded-postgres";
import { localSecrets } from "./dev-secrets";

// `npm start`: the portal on http://localhost:3000 for a local run, with an
// embedded PostgreSQL in .data/ unless DATABASE_URL names another database.

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, ".data");
const port = Number(process.env.PORT ?? 3000);
const say = (msg: string) => console.log(`[start] ${msg}`);

let pg: RunningPostgres | undefined;
const env: Record<string, string | undefined> = { ...process.env, NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}` };

if (!env.DATABASE_URL) {
  const t = Date.now();
  pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: 54329 });
  env.DATABASE_URL = pg.url;
  say(`embedded PostgreSQL on port ${pg.port}, data in .data/postgres (${Date.now() - t} ms)`);
} else {
  say("using the database in DATABASE_URL");
}

Object.assign(env, { ...localSecrets(dataDir), ...pick(process.env, ["NEXTAUTH_SECRET", "ENCRYPTION_KEY"]) });
if (!env.GITHUB_CLIENT_ID && env.DEMO_SIGN_IN === undefined) {
  // A local trial without a GitHub OAuth app: the launcher, not the portal, opts in.
  env.DEMO_SIGN_IN = "1";
  say("no GITHUB_CLIENT_ID configured: this local run sets DEMO_SIGN_IN=1");
}

let config;
try {
  config = parseEnv({ ...env, NODE_ENV: "development" });
} catch (err) {
  console.error(err instanceof EnvError ? `[start] ${err.message}` : err);
  await pg?.stop();
  process.exit(1);
}

const m = await migrate(config.DATABASE_URL, path.join(root, "prisma/migrations"));
say(`migrations: ${m.applied.length} applied, ${m.alreadyApplied} already in place`);
const db = createPrismaClient(config.DATABASE_URL);
await seedDefaultCluster(db, config.DEFAULT_CLUSTER_NAME);
if (config.DEMO_SIGN_IN) await seedDemoUsers(db);
await db.$disconnect();

say(`sign-in: ${signInModes(config)}`);
const next = spawn(path.join(root, "node_modules/.bin/next"), ["dev", "--port", String(port)], {
  cwd: root,
  stdio: "inherit",
  env: { ...env, NODE_ENV: "development", NEXT_TELEMETRY_DISABLED: "1" } as NodeJS.ProcessEnv,
});

async function shutdown(code: number) {
  next.kill("SIGTERM");
  await pg?.stop().catch(() => undefined);
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
next.on("exit", (code) => void shutdown(code ?? 0));

// Say where to go once the sign-in page really answers.
void (async () => {
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`http://localhost:${port}/signin`).then((r) => r.ok, () => false);
    if (ok) return say(`ready: open http://localhost:${port} (sign-in: ${signInModes(config)})`);
    await new Promise((r) => setTimeout(r, 500));
  }
})();

function pick(source: NodeJS.ProcessEnv, keys: string[]) {
  return Object.fromEntries(keys.filter((k) => source[k]).map((k) => [k, source[k]]));
}
