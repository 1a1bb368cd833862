// The image's one-shot commands, as the image runs them: bundled by
// scripts/bundle-one-shots.mjs, copied to a directory with no node_modules anywhere above
// it, and run with plain `node` and nothing but their environment variables.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { open, seal } from "@/lib/crypto/aes-gcm";
import { db } from "@/lib/db";
import { createDatabase } from "@/scripts/db/embedded-postgres";
import { approvedRequest, people, suffix, testCluster, testSpec, type People } from "@/test/provision/fixtures";
import { TEST_SECRETS } from "@/test/harness/test-env";

const root = path.resolve(import.meta.dirname, "../..");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "arc-one-shots-"));
  const bundled = spawnSync(process.execPath, [path.join(root, "scripts/bundle-one-shots.mjs"), dir], { encoding: "utf8" });
  expect(bundled.status, bundled.stderr).toBe(0);
  cpSync(path.join(root, "prisma/migrations"), path.join(dir, "prisma/migrations"), { recursive: true });
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a bundled one-shot; returns its exit code and JSON log lines. */
function run(script: string, env: Record<string, string>, args: string[] = []) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: dir, env: { PATH: process.env.PATH!, NODE_ENV: "production", ...env }, encoding: "utf8", timeout: 60_000 });
  const lines = `${r.stdout}${r.stderr}`
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; msg: string; [k: string]: unknown });
  return { code: r.status, lines };
}

describe("migrate.mjs", () => {
  it("brings an empty database to the current schema once, and changes nothing when run again", async () => {
    const url = await createDatabase(process.env.TEST_DATABASE_SERVER_URL!, `arc_portal_oneshot_${suffix()}`);
    const names = readdirSync(path.join(root, "prisma/migrations"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    const first = run("migrate.mjs", { DATABASE_URL: url });
    expect(first.code).toBe(0);
    expect(first.lines.at(-1)).toMatchObject({ level: "info", msg: "migrate: done", applied: names, alreadyApplied: 0 });
    const again = run("migrate.mjs", { DATABASE_URL: url });
    expect(again.lines.at(-1)).toMatchObject({ msg: "migrate: done", applied: [], alreadyApplied: names.length });
  });

  it("says what is missing instead of guessing a database", () => {
    const r = run("migrate.mjs", {});
    expect(r.code).toBe(2);
    expect(r.lines[0]!.msg).toContain("DATABASE_URL is required");
  });
});

describe("rotate-encryption-key.mjs", () => {
  const OLD = TEST_SECRETS.ENCRYPTION_KEY;
  const NEW = randomBytes(32).toString("base64");
  let p: People;
  let ids: string[];

  const ciphertexts = async () =>
    (await db.runnerRequest.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" }, select: { id: true, privateKeyCiphertext: true } })).map((r) => r.privateKeyCiphertext);
  const env = (extra: Record<string, string> = {}) => ({ DATABASE_URL: process.env.DATABASE_URL!, OLD_ENCRYPTION_KEY: OLD, NEW_ENCRYPTION_KEY: NEW, ...extra });

  beforeAll(async () => {
    p = await people();
    const cluster = await testCluster("rotate");
    const made = [];
    for (const status of ["SUBMITTED", "APPROVED", "APPROVED"] as const) {
      const s = suffix();
      made.push(await approvedRequest(p, cluster.id, testSpec(`rot-${s}`, `ns-rot-${s}`), { status }));
    }
    // A provisioned request: its key is already gone from the database.
    const s = suffix();
    made.push(await approvedRequest(p, cluster.id, testSpec(`rot-${s}`, `ns-rot-${s}`), { pem: null, status: "READY" }));
    ids = made.map((m) => m.request.id);
  });

  it("changes nothing in a dry run", async () => {
    const before = await ciphertexts();
    const r = run("rotate-encryption-key.mjs", env(), ["--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.lines.at(-1)).toMatchObject({ rotated: 3, committed: false, dryRun: true });
    expect(await ciphertexts()).toEqual(before);
  });

  it("refuses to change anything while some key opens with neither key", async () => {
    const stray = await approvedRequest(p, (await testCluster("rotate-stray")).id, testSpec(`rot-${suffix()}`, `ns-rot-${suffix()}`));
    const third = randomBytes(32).toString("base64");
    await db.runnerRequest.update({ where: { id: stray.request.id }, data: { privateKeyCiphertext: seal(stray.pem!, third) } });
    const before = await ciphertexts();
    const r = run("rotate-encryption-key.mjs", env());
    expect(r.code).toBe(1);
    expect(r.lines.at(-1)).toMatchObject({ level: "error", unreadable: [stray.request.id], committed: false });
    expect(await ciphertexts()).toEqual(before);
    await db.runnerRequest.update({ where: { id: stray.request.id }, data: { privateKeyCiphertext: null } });
  });

  it("re-seals every stored private key under the new key in one go, and a second run finds nothing left to do", async () => {
    const plaintexts = (await ciphertexts()).map((c) => (c ? open(c, OLD) : null));
    const r = run("rotate-encryption-key.mjs", env());
    expect(r.code).toBe(0);
    expect(r.lines.at(-1)).toMatchObject({ msg: "rotate-encryption-key: done", rotated: 3, alreadyNew: 0, committed: true });
    const after = await ciphertexts();
    expect(after.map((c) => (c ? open(c, NEW) : null))).toEqual(plaintexts);
    for (const c of after.filter(Boolean)) expect(() => open(c!, OLD)).toThrow();
    expect(after[3]).toBeNull();

    const again = run("rotate-encryption-key.mjs", env());
    expect(again.lines.at(-1)).toMatchObject({ rotated: 0, alreadyNew: 3, committed: true });
    expect(await ciphertexts()).toEqual(after);
  });

  it("checks its keys before touching the database", () => {
    const r = run("rotate-encryption-key.mjs", env({ NEW_ENCRYPTION_KEY: "short" }));
    expect(r.code).toBe(2);
    expect(r.lines.map((l) => l.problem)).toEqual(["NEW_ENCRYPTION_KEY must be the new key: 32 bytes, base64-encoded (openssl rand -base64 32)"]);
  });
});
