import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// Podman as this kind of machine runs it (BRIEF §8): root, runc with cgroupfs (crun refuses
// the cgroup layout here), and fixed ulimits (raising them is not permitted here).

export const CACHE = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "arc-portal", "image");

const CONTAINERS_CONF = `[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
`;

const PACKAGES = ["podman", "buildah", "runc", "debootstrap", "fuse-overlayfs", "slirp4netns", "uidmap"];

function confFile(): string {
  mkdirSync(CACHE, { recursive: true });
  const file = path.join(CACHE, "containers.conf");
  writeFileSync(file, CONTAINERS_CONF);
  return file;
}

let conf: string | undefined;

export function podman(args: string[], opts: { inherit?: boolean; input?: string } = {}): SpawnSyncReturns<string> {
  conf ??= confFile();
  return spawnSync("podman", args, {
    encoding: "utf8",
    input: opts.input,
    stdio: opts.inherit ? ["ignore", "inherit", "inherit"] : "pipe",
    env: { ...process.env, CONTAINERS_CONF: conf },
    maxBuffer: 64 * 1024 * 1024,
  });
}

const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

/** null when podman runs here (installing it with apt first when missing), else why not. */
export function podmanProblem(): string | null {
  // debootstrap, chroot and podman's network tools live in sbin, which a minimal PATH (env -i,
  // cron, some CI runners) leaves out: seen as "debootstrap failed (exit null)" on a cold run.
  const dirs = (process.env.PATH ?? "").split(":");
  process.env.PATH = [...dirs, ...["/usr/local/sbin", "/usr/sbin", "/sbin"].filter((d) => !dirs.includes(d))].join(":");
  const missing = ["podman", "debootstrap", "runc"].filter((c) => !has(c));
  if (missing.length) {
    if (process.getuid?.() !== 0) return `${missing.join(", ")} missing and not root, so apt-get cannot install them`;
    console.log(`[image] installing ${PACKAGES.join(" ")} (apt-get)`);
    const r = spawnSync("sh", ["-c", `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${PACKAGES.join(" ")}`], { stdio: "inherit" });
    if (r.status !== 0 || !has("podman")) return "apt-get could not install podman";
  }
  if (process.getuid?.() !== 0) return "podman needs root on this kind of machine (rootless was not measured)";
  const info = podman(["info", "--format", "{{.Host.OCIRuntime.Name}}"]);
  if (info.status !== 0) return `podman info failed: ${info.stderr.trim().split("\n").at(-1)}`;
  return null;
}
