// Where kube-apiserver and etcd live, and the one way to build them
// (scripts/kube/build-apiserver.sh). Tests never build: `npm test` builds
// first, outside any test's time limit; `npm start` builds in the background.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const BUILD_SCRIPT = path.resolve(import.meta.dirname, "build-apiserver.sh");

export interface KubeBinaries {
  apiserver: string;
  etcd: string;
}

/** A build step the script announced: "[kube] step 3 of 6: …". */
export interface BuildStep {
  step: number;
  steps: number;
  label: string;
}

export function kubeCacheDir(): string {
  if (process.env.KUBE_CACHE_DIR) return process.env.KUBE_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "arc-portal", "kube-v1.20.2");
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

function runsVersion(bin: string): boolean {
  return existsSync(bin) && spawnSync(bin, ["--version"], { stdio: "ignore", timeout: 15_000 }).status === 0;
}

/** The binaries when both are there and run; null when a build is needed. */
function findKubeBinaries(): KubeBinaries | null {
  const apiserver = process.env.KUBE_APISERVER_BIN || path.join(kubeCacheDir(), "kube-apiserver");
  const etcd = process.env.ETCD_BIN || findOnPath("etcd") || (existsSync("/usr/bin/etcd") ? "/usr/bin/etcd" : undefined);
  return etcd && runsVersion(apiserver) ? { apiserver, etcd } : null;
}

/** The binaries, or an error that says how to get them; never builds. */
export function kubeBinaries(): KubeBinaries {
  const found = findKubeBinaries();
  if (found) return found;
  throw new Error(
    `kube-apiserver or etcd is missing (looked in ${kubeCacheDir()}). \`npm test\` builds them before any test starts; ` +
      "to build them alone: bash scripts/kube/build-apiserver.sh (3 to 7 minutes, as root).",
  );
}

const STEP = /^\[kube\] step (\d+) of (\d+): (.*)$/;

/**
 * Runs the build script (quick when the cache is warm). `onLine` gets every line it prints,
 * `onStep` each announced step. Rejects with the script's last lines when it fails.
 */
export function buildKubeBinaries(opts: { onLine?: (line: string) => void; onStep?: (s: BuildStep) => void } = {}): Promise<KubeBinaries> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [BUILD_SCRIPT], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, KUBE_CACHE_DIR: kubeCacheDir(), DEBIAN_FRONTEND: "noninteractive" },
    });
    let tail: string[] = [];
    let partial = "";
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        tail = [...tail, line].slice(-20);
        opts.onLine?.(line);
        const m = STEP.exec(line);
        if (m) opts.onStep?.({ step: Number(m[1]), steps: Number(m[2]), label: m[3]! });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`building kube-apiserver failed (exit ${code}):\n${tail.join("\n")}`));
      try {
        resolve(kubeBinaries());
      } catch (err) {
        reject(err);
      }
    });
  });
}
