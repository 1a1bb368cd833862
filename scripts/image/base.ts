import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { CACHE, podman } from "./podman";

// The base image the Dockerfile's ARG NODE_IMAGE names here. Built once per machine and
// kept in podman's store: debootstrap alone takes minutes.

const NPM_VERSION = "11.21.2";
const CONTAINERFILE = path.join(import.meta.dirname, "base.Containerfile");
// The recipe (this file and the Containerfile) is in the tags: a changed recipe builds anew
// instead of reusing an old base from podman's store.
const recipe = createHash("sha256").update(readFileSync(import.meta.filename)).update(readFileSync(CONTAINERFILE)).digest("hex").slice(0, 10);
const DEBIAN_IMAGE = `localhost/arc-portal-debian:bookworm-minbase-${recipe}`;
export const BASE_IMAGE = `localhost/arc-portal-node:${process.versions.node}-bookworm-${recipe}`;
// What debian:bookworm-slim leaves out too: apt's package lists and caches, docs, man pages.
const SLIM = ["var/lib/apt/lists/*", "var/cache/apt/*", "usr/share/doc/*", "usr/share/man/*", "usr/share/info/*"];

/** The Debian mirror apt already uses (the only one reachable here). */
function aptMirror(): string {
  const dir = "/etc/apt/sources.list.d";
  const texts = [
    ...(existsSync("/etc/apt/sources.list") ? [readFileSync("/etc/apt/sources.list", "utf8")] : []),
    ...(existsSync(dir) ? readdirSync(dir).filter((f) => /\.(list|sources)$/.test(f)).map((f) => readFileSync(path.join(dir, f), "utf8")) : []),
  ];
  for (const text of texts) {
    // deb822: a stanza with "Types: deb" and a bookworm suite; one-line: "deb URI bookworm main".
    for (const stanza of text.split(/\n\s*\n/)) {
      if (/^Types:.*\bdeb\b/m.test(stanza) && /^Suites:.*\bbookworm\b(?!-)/m.test(stanza)) {
        const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
        if (uri) return uri;
      }
    }
    const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (line) return line[1]!;
  }
  return "http://deb.debian.org/debian";
}

const exists = (image: string) => podman(["image", "exists", image]).status === 0;

function must(label: string, r: { status: number | null; stderr?: string | null; error?: Error }) {
  // A command that could not start at all (not on PATH) has no exit status, only an error.
  if (r.error) throw new Error(`${label} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status})${r.stderr ? `: ${r.stderr.trim().split("\n").slice(-5).join("\n")}` : ""}`);
}

/** Builds the base image unless podman's store has it; returns the seconds spent, or null when cached. */
export function ensureBaseImage(): number | null {
  if (exists(BASE_IMAGE)) return null;
  if (!process.versions.node.startsWith("24.")) throw new Error(`the base image takes this process's Node, which is ${process.version}, not 24`);
  const t = Date.now();
  mkdirSync(CACHE, { recursive: true });
  if (!exists(DEBIAN_IMAGE)) {
    const mirror = aptMirror();
    const rootfs = mkdtempSync(path.join(CACHE, "rootfs-"));
    try {
      console.log(`[image] debootstrap --variant=minbase bookworm from ${mirror}`);
      must("debootstrap", spawnSync("debootstrap", ["--variant=minbase", "bookworm", rootfs, mirror], { stdio: ["ignore", "ignore", "inherit"], encoding: "utf8" }));
      must("slimming the root filesystem", spawnSync("sh", ["-c", `cd '${rootfs}' && rm -rf ${SLIM.join(" ")}`], { encoding: "utf8" }));
      const tar = spawnSync("sh", ["-c", `tar -C '${rootfs}' -c . | CONTAINERS_CONF='${path.join(CACHE, "containers.conf")}' podman import - ${DEBIAN_IMAGE}`], { encoding: "utf8" });
      must("podman import", tar);
    } finally {
      rmSync(rootfs, { recursive: true, force: true });
    }
  }
  const context = mkdtempSync(path.join(CACHE, "base-context-"));
  try {
    copyFileSync(process.execPath, path.join(context, "node"));
    const tarball = path.join(CACHE, `npm-${NPM_VERSION}.tgz`);
    if (!existsSync(tarball)) {
      must("npm pack", spawnSync("npm", ["pack", `npm@${NPM_VERSION}`, "--pack-destination", context, "--silent"], { encoding: "utf8" }));
      renameSync(path.join(context, `npm-${NPM_VERSION}.tgz`), tarball);
    }
    copyFileSync(tarball, path.join(context, "npm.tgz"));
    must("podman build (base)", podman(["build", "--build-arg", `DEBIAN_IMAGE=${DEBIAN_IMAGE}`, "-t", BASE_IMAGE, "-f", CONTAINERFILE, context], { inherit: true }));
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  // Bases of older recipes would only fill podman's store.
  for (const repo of ["localhost/arc-portal-node", "localhost/arc-portal-debian"]) {
    const tags = podman(["images", "--format", "{{.Repository}}:{{.Tag}}", repo]).stdout.split("\n").filter(Boolean);
    for (const old of tags.filter((t) => t !== BASE_IMAGE && t !== DEBIAN_IMAGE)) podman(["rmi", old]);
  }
  return (Date.now() - t) / 1000;
}
