import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// `npm start` as a newcomer runs it (scripts/bootstrap.mjs start), with a bad setting: it stops
// before it starts or writes anything, with one line naming the variable.

const ROOT = path.resolve(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "npm-start-config-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function npmStart(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(work, "data-"));
  const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/bootstrap.mjs"), "start"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    // Only PATH and HOME from outside: the test run's own DATABASE_URL and secrets must not leak in.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", PORTAL_DATA_DIR: dataDir, PORT: "3999", LOCAL_CLUSTER: "off", ...env },
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}`, dataDir };
}

describe("npm start with a bad setting", () => {
  it("stops at once on a bad ARC_* value, naming it, and starts nothing", () => {
    const r = npmStart({ ARC_MAX_RUNNERS_CEILING: "lots" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[start\] Invalid configuration:\n\s+- ARC_MAX_RUNNERS_CEILING /);
    expect(r.out).not.toMatch(/embedded PostgreSQL on|at .*\.ts:\d+/);
    // Nothing written: no database, no secrets.
    expect(readdirSync(r.dataDir)).toEqual([]);
  });

  it("refuses demo sign-in on every interface unless forced", () => {
    const r = npmStart({ HOST: "0.0.0.0" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/- DEMO_SIGN_IN must not be on while the portal listens on HOSTNAME=0\.0\.0\.0: .*Listen on 127\.0\.0\.1 \(HOST=127\.0\.0\.1 for npm start\)/);
    expect(existsSync(path.join(r.dataDir, "postgres"))).toBe(false);
  });

  it("refuses it under npm run dev too", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/bootstrap.mjs"), "start", "--dev"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "development", PORTAL_DATA_DIR: mkdtempSync(path.join(work, "dev-")), HOST: "0.0.0.0", LOCAL_CLUSTER: "off" },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/HOST=0\.0\.0\.0 with demo sign-in: anyone who reaches this machine could sign in as any seeded user/);
  });

  // npm test runs as root (it installs Chromium and builds kube-apiserver with apt).
  it("as root, says in one sentence why PostgreSQL cannot use a private folder", () => {
    // mkdtemp makes 0700 folders: the `postgres` user that initdb runs as cannot enter them.
    const r = npmStart({});
    expect(r.code).toBe(1);
    expect(r.out).toContain(`[start] The embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${work}`);
    expect(r.out).not.toMatch(/EACCES|at .*\.js:\d+/);
  });

  it("says what PORT must be", () => {
    const r = npmStart({ PORT: "http" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[start\] PORT must be a port number/);
  });
});
