import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { ScaleSetSpec } from "@/lib/arc/scale-set-spec";
import { draftRunnerRequestSchema } from "@/lib/requests/schema";

// Golden files for the rendering tests. UPDATE_GOLDEN=1 rewrites them from the current output;
// review the diff before committing. The helm-template-*.yaml fixtures are not rewritten: they
// come from real Helm (see their header).

export const GOLDEN_DIR = path.join(__dirname);
export const GOLDEN_REQUESTS = ["base", "dind"] as const;

export function goldenPath(file: string): string {
  return path.join(GOLDEN_DIR, file);
}

/** A golden request.json, validated like the render CLI validates it. */
export function goldenRequest(name: (typeof GOLDEN_REQUESTS)[number]): ScaleSetSpec {
  return draftRunnerRequestSchema.parse(JSON.parse(readFileSync(goldenPath(`${name}.request.json`), "utf8")));
}

export function expectGolden(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(goldenPath(file), actual);
  expect(actual, `${file} differs; run with UPDATE_GOLDEN=1 and review the diff`).toBe(
    readFileSync(goldenPath(file), "utf8"),
  );
}
