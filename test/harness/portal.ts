import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { standaloneServer } from "@/scripts/production-build";

const root = path.resolve(import.meta.dirname, "../..");

export interface RunningPortal {
  url: string;
  logFile: string;
  stop(): Promise<void>;
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
