// docs/operations.md's configuration reference names every environment variable the
// portal, its one-shot commands and its manifests read, read from the code itself: a new
// variable without a line in the operator guide fails here.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readManifests, renderChart } from "@/test/harness/helm";

const root = path.resolve(import.meta.dirname, "../..");
const read = (f: string) => readFileSync(path.join(root, f), "utf8");

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === "generated" ? [] : sources(rel);
    return /\.(ts|tsx|mjs)$/.test(d.name) && !/\.test\.ts$/.test(d.name) ? [rel] : [];
  });
}

/** Names read as process.env.NAME or destructured from process.env. */
function envReads(file: string): string[] {
  const text = read(file);
  const direct = [...text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!);
  const destructured = [...text.matchAll(/const\s*\{([^}]*)\}\s*=\s*process\.env/g)].flatMap((m) => m[1]!.split(",").map((s) => s.trim()).filter(Boolean));
  return [...direct, ...destructured];
}

function variables(): string[] {
  const names = new Set<string>();
  // The validated configuration (lib/env.ts) and the cluster settings (lib/arc/settings.ts).
  const schema = /const schema = z([\s\S]*?)\.superRefine/.exec(read("lib/env.ts"))![1]!;
  for (const m of schema.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)) names.add(m[1]!);
  for (const m of read("lib/arc/settings.ts").matchAll(/"(ARC_[A-Z0-9_]+)"/g)) names.add(m[1]!);
  // Everything else the running portal and its one-shots read directly.
  for (const f of [...sources("lib"), ...sources("app"), "proxy.ts", "instrumentation.ts", "scripts/migrate.ts", "scripts/rotate-encryption-key.ts"]) {
    for (const n of envReads(f)) names.add(n);
  }
  // What the manifests set.
  const manifests = [
    ...renderChart({ "rbac.createNamespaces": true }),
    ...readManifests(path.join(root, "deploy/secret.example.yaml")),
    ...readManifests(path.join(root, "deploy/jobs/rotate-encryption-key.yaml")),
  ];
  for (const m of manifests as Record<string, any>[]) {
    for (const k of Object.keys(m.data ?? {})) if (m.kind === "ConfigMap") names.add(k);
    for (const k of Object.keys(m.stringData ?? {})) names.add(k);
    for (const c of m.spec?.template?.spec?.containers ?? []) for (const e of c.env ?? []) names.add(e.name);
  }
  // Next.js' own, not a setting.
  names.delete("NEXT_RUNTIME");
  return [...names].sort();
}

describe("docs/operations.md", () => {
  it("describes every environment variable", () => {
    const doc = read("docs/operations.md");
    const all = variables();
    expect(all.length).toBeGreaterThan(30);
    expect(all.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });
});
