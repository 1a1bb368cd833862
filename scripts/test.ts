import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { imageStage } from "./image/stage";
import { buildKubeBinaries } from "./kube/binaries";
import { buildPortal } from "./production-build";
import { tallyVitest } from "./vitest-tally";

// `npm test`: type check, unit and integration tests (vitest, real
// PostgreSQL and kube-apiserver), then the production build under Playwright
// in Debian's Chromium. Installs Chromium and builds kube-apiserver first,
// outside any test's time limit. Ends with one line of pass/fail counts over
// every suite.

const root = path.resolve(import.meta.dirname, "..");
const results = path.join(root, ".cache/test-results");
mkdirSync(results, { recursive: true });
const only = process.argv.slice(2); // e.g. `npm test -- unit` or `npm test -- e2e`
const wants = (suite: string) => only.length === 0 || only.includes(suite);

function run(label: string, cmd: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n[test] ${label}`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  console.log(`[test] ${label}: ${r.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

function ensureChromium() {
  if (existsSync("/usr/bin/chromium")) return;
  if (process.getuid?.() !== 0) throw new Error("Chromium is missing: run `apt-get install -y chromium` as root");
  run("installing Debian's chromium", "sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"]);
  if (!existsSync("/usr/bin/chromium")) throw new Error("apt-get did not install /usr/bin/chromium");
}

const bin = (name: string) => path.join(root, "node_modules/.bin", name);
const tally = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

if (wants("typecheck")) {
  const passed = run("type check (tsc)", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
  tally[passed ? "passed" : "failed"] += 1;
  ok &&= passed;
}

// kube-apiserver and etcd, built once per machine (minutes when cold) before any test starts:
// a build inside a test's hook would race its time limit and the other files for the cores.
if (wants("unit") || wants("e2e")) {
  console.log("\n[test] kube-apiserver and etcd for the provisioning tests");
  const t = Date.now();
  try {
    const bins = await buildKubeBinaries({
      onStep: (s) => console.log(`[test] building kube-apiserver, step ${s.step} of ${s.steps}: ${s.label}`),
      onLine: (line) => process.env.KUBE_BUILD_VERBOSE && console.log(line),
    });
    console.log(`[test] kube-apiserver and etcd: ok in ${((Date.now() - t) / 1000).toFixed(1)} s (${bins.apiserver})`);
  } catch (err) {
    console.log(`[test] kube-apiserver and etcd: FAILED in ${((Date.now() - t) / 1000).toFixed(1)} s\n${(err as Error).message}`);
    console.log("\ntests: 0 passed, 1 failed");
    process.exit(1);
  }
}

if (wants("unit")) {
  const out = path.join(results, "vitest.json");
  const exitedOk = run("unit and integration tests (vitest)", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  ok = exitedOk && ok;
  if (existsSync(out)) {
    const r = tallyVitest(JSON.parse(readFileSync(out, "utf8")));
    // Seen twice: vitest exiting 0 with failed tests in its own report. The report decides.
    if (exitedOk && r.failed > 0) {
      console.log(`[test] vitest exited 0, but its report lists ${r.failed} failed: the stage FAILED`);
      ok = false;
    }
    tally.passed += r.passed;
    tally.failed += r.failed;
    tally.skipped += r.skipped;
  } else tally.failed += 1;
}

if (wants("e2e")) {
  ensureChromium();
  console.log("\n[test] production build");
  const t = Date.now();
  const built = (await buildPortal((msg) => console.log(`[test] ${msg}`))).ok;
  console.log(`[test] production build: ${built ? "ok" : "FAILED"} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  if (!built) {
    ok = false;
    tally.failed += 1;
  } else {
    const out = path.join(results, "playwright.json");
    ok = run("end-to-end tests (Playwright, Chromium)", bin("playwright"), ["test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out }) && ok;
    if (existsSync(out)) {
      const s = JSON.parse(readFileSync(out, "utf8")).stats;
      tally.passed += s.expected;
      tally.failed += s.unexpected + s.flaky;
      tally.skipped += s.skipped;
    } else tally.failed += 1;
  }
}

if (wants("image")) {
  const r = await imageStage(); // scripts/image/: build with podman, run, probe
  tally.passed += r.passed;
  tally.failed += r.failed;
}

if (tally.skipped > 0) {
  ok = false;
  console.log(`[test] ${tally.skipped} test(s) were skipped; a skipped test proves nothing, so the run fails.`);
}
console.log(`\ntests: ${tally.passed} passed, ${tally.failed} failed`);
process.exit(ok && tally.failed === 0 ? 0 : 1);
