// The summary counts of `npm test`, from the JSON report of a real vitest run over fixture files.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tallyVitest, type VitestReport } from "./vitest-tally";

const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(os.tmpdir(), "vitest-tally-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(files: Record<string, string>): VitestReport {
  const run = mkdtempSync(path.join(dir, "run-"));
  writeFileSync(path.join(run, "vitest.config.mjs"), "export default { test: { include: ['*.test.mjs'] } };\n");
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(run, name), text);
  const out = path.join(run, "report.json");
  spawnSync(path.join(root, "node_modules/.bin/vitest"), ["run", "--root", run, "--reporter=json", `--outputFile.json=${out}`], { cwd: run, stdio: "ignore" });
  return JSON.parse(readFileSync(out, "utf8")) as VitestReport;
}

describe("tallyVitest", () => {
  it("counts one failing test inside nested describes as one failure, not one per suite", () => {
    const r = report({
      "a.test.mjs": `import { describe, it, expect } from "vitest";
        describe("outer", () => { describe("inner", () => {
          it("fails", () => expect(1).toBe(2));
          it("passes", () => expect(1).toBe(1));
        }); });`,
    });
    expect(r.numFailedTests).toBe(1);
    expect(tallyVitest(r)).toEqual({ passed: 1, failed: 1, skipped: 0 });
  });

  it("counts a file that fails to load (no test ran in it) as one failure", () => {
    const r = report({
      "ok.test.mjs": `import { it } from "vitest"; it("passes", () => {});`,
      "broken.test.mjs": `import { it } from "vitest"; throw new Error("cannot load"); it("never", () => {});`,
    });
    expect(r.numFailedTests).toBe(0);
    expect(tallyVitest(r)).toEqual({ passed: 1, failed: 1, skipped: 0 });
  });
});
