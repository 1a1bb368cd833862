import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, rmSync, symlinkSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface RunningPortal {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * The standalone server `next build` writes (`output: "standalone"`), laid out as the image's
 * Dockerfile lays it out: `.next/static` and `public` next to `server.js`. Here they are links
 * to the build's own, made once per build.
 */
function standaloneServer(): string {
  const dir = path.join(root, ".next/standalone");
  const server = path.join(dir, "server.js");
  if (!existsSync(server)) throw new Error("no standalone server in .next/standalone: run `next build` first");
  for (const [link, target] of [
    [path.join(dir, ".next/static"), path.join(root, ".next/static")],
    [path.join(dir, "public"), path.join(root, "public")],
  ] as const) {
    if (existsSync(link)) continue;
    rmSync(link, { force: true }); // a link left dangling by an earlier build
    try {
      symlinkSync(target, link);
    } catch (err) {
      // Another Playwright worker made it first.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  return server;
}

/**
 * The production build as the image runs it (`node server.js` of the standalone output, after
 * `next build`), a real process, with its output in a log file that tests can scan.
 */
export async function startPortal(opts: { port: number; env: Record<string, string>; logFile: string }): Promise<RunningPortal> {
  await mkdir(path.dirname(opts.logFile), { recursive: true });
  // The log file is the portal's own stdout and stderr, not a pipe through this process: a
  // busy parent (a load generator, say) would otherwise stall every log line the portal writes.
  const log = openSync(opts.logFile, "a");
  const url = `http://localhost:${opts.port}`;
  const server = standaloneServer();
  const child: ChildProcess = spawn(path.join(root, "node_modules/.bin/node"), [server], {
    cwd: path.dirname(server),
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXTAUTH_URL: url, PORT: String(opts.port), HOSTNAME: "0.0.0.0", ...opts.env },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  let exited = false;
  child.on("exit", () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the portal exited during start-up; see ${opts.logFile}`);
    const ready = await fetch(`${url}/api/health/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!exited && Date.now() >= deadline) throw new Error(`the portal did not become ready in 60 s; see ${opts.logFile}`);
  return {
    url,
    logFile: opts.logFile,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.on("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
