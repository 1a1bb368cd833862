// The production build that `npm start`, the e2e suite and the image all run: `next build`'s
// standalone server, laid out as the Dockerfile lays it out. Built once per source state:
// a stamp of the inputs' content says whether the last build still stands.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const STAMP = path.join(root, ".next/.arc-portal-build");
const INPUT_DIRS = ["app", "components", "lib", "public", "prisma"];
const INPUT_FILES = ["next.config.js", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "postcss.config.mjs", "instrumentation.ts", "proxy.ts"];
const SKIP = /(^|\/)(generated|__golden__)(\/|$)|\.test\.tsx?$/;

function filesUnder(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .filter((f) => !SKIP.test(f));
}

/** A digest of everything the build reads, by path and content. */
function buildInputsDigest(): string {
  const h = createHash("sha256");
  const files = [...INPUT_DIRS.flatMap(filesUnder), ...INPUT_FILES.filter((f) => existsSync(path.join(root, f)))].sort();
  for (const f of files) h.update(f).update("\0").update(readFileSync(path.join(root, f))).update("\0");
  return h.digest("hex");
}

/**
 * Runs `next build` unless the last build was of these very sources. Returns whether it built.
 * Asynchronous, so that what else the caller runs (npm start's local cluster) goes on meanwhile.
 */
export async function buildPortal(say: (msg: string) => void): Promise<{ built: boolean; ok: boolean }> {
  const digest = buildInputsDigest();
  const server = path.join(root, ".next/standalone/server.js");
  if (existsSync(server) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === digest) {
    say("production build is current (sources unchanged since the last build)");
    return { built: false, ok: true };
  }
  say("building the production server (next build, about a minute)");
  rmSync(STAMP, { force: true });
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(path.join(root, "node_modules/.bin/next"), ["build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
    child.on("error", () => resolve(null));
    child.on("exit", (code) => resolve(code));
  });
  if (status !== 0) return { built: true, ok: false };
  writeFileSync(STAMP, digest);
  return { built: true, ok: true };
}

/**
 * The standalone server.js, with `.next/static` and `public` next to it as the image has them
 * (here, links to the build's own).
 */
export function standaloneServer(): string {
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
      // Another process made it first.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  return server;
}
