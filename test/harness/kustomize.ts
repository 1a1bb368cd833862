// Renders the kustomizations in deploy/ for tests, without a kustomize binary. Only what
// deploy/ uses is supported (resources: files and directories; patches: strategic-merge
// files that merge maps or `$patch: delete` an object); anything else throws, so a new
// kustomize feature in deploy/ cannot be silently mis-rendered. Checked against
// `kubectl kustomize` (kustomize v5.5) when written.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};

const SUPPORTED = new Set(["apiVersion", "kind", "resources", "patches"]);

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** Every YAML document in a file, skipping empty ones. */
export function readManifests(file: string): Manifest[] {
  return YAML.parseAllDocuments(readFileSync(file, "utf8"))
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => !!m);
}

function sameObject(a: Manifest, b: Manifest): boolean {
  const group = (m: Manifest) => (m.apiVersion.includes("/") ? m.apiVersion.split("/")[0] : "");
  return (
    group(a) === group(b) &&
    a.kind === b.kind &&
    a.metadata.name === b.metadata.name &&
    (b.metadata.namespace === undefined || a.metadata.namespace === b.metadata.namespace)
  );
}

function merge(target: Record<string, unknown>, patch: Record<string, unknown>, at: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (Array.isArray(value)) throw new Error(`kustomize harness: list patches are not supported (${at}.${key})`);
    if (isMap(value) && isMap(target[key])) merge(target[key] as Record<string, unknown>, value, `${at}.${key}`);
    else target[key] = structuredClone(value);
  }
}

/** The objects `kubectl kustomize dir` would print (order aside). */
export function kustomize(dir: string): Manifest[] {
  const file = path.join(dir, "kustomization.yaml");
  if (!existsSync(file)) throw new Error(`no kustomization.yaml in ${dir}`);
  const k = YAML.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length) throw new Error(`kustomize harness: ${file} uses ${unsupported.join(", ")}, which it does not support`);

  let out: Manifest[] = [];
  for (const entry of (k.resources as string[] | undefined) ?? []) {
    const p = path.resolve(dir, entry);
    out.push(...(statSync(p).isDirectory() ? kustomize(p) : readManifests(p)));
  }
  for (const patch of (k.patches as { path?: string }[] | undefined) ?? []) {
    if (!patch.path || Object.keys(patch).length !== 1) throw new Error(`kustomize harness: only "patches: - path: FILE" is supported (${file})`);
    for (const p of readManifests(path.resolve(dir, patch.path))) {
      const { $patch: op, ...body } = p as Manifest & { $patch?: string };
      const matches = out.filter((m) => sameObject(m, body as Manifest));
      if (matches.length !== 1) throw new Error(`kustomize harness: patch ${patch.path} matches ${matches.length} objects`);
      if (op === "delete") out = out.filter((m) => m !== matches[0]);
      else if (op === undefined) merge(matches[0]!, { ...body, apiVersion: matches[0]!.apiVersion }, p.kind);
      else throw new Error(`kustomize harness: $patch: ${op} is not supported`);
    }
  }
  const seen = new Set<string>();
  for (const m of out) {
    const id = `${m.apiVersion} ${m.kind} ${m.metadata.namespace ?? ""}/${m.metadata.name}`;
    if (seen.has(id)) throw new Error(`kustomize harness: ${id} appears twice in ${dir}`);
    seen.add(id);
  }
  return out;
}
