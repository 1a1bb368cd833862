import "server-only";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

// The local cluster that `npm start` runs when nothing else is configured: a real kube-apiserver
// with ARC's CRDs but no ARC controller. The launcher builds and starts it in the background and
// writes how far it is to status.json; the portal reads that file (never the launcher's memory)
// and provisions on the cluster once it is ready.

export type LocalClusterState = "building" | "starting" | "ready" | "failed";

export interface LocalClusterStatus {
  state: LocalClusterState;
  /** While building: the build script's step, e.g. 3 of 6, and what it does. */
  step?: number;
  steps?: number;
  label?: string;
  startedAt?: string;
  /** When ready: the API server's address. */
  server?: string;
  /** When failed: what went wrong, in a sentence. */
  message?: string;
}

const STATES = new Set<LocalClusterState>(["building", "starting", "ready", "failed"]);

/** The local cluster's status; null when this portal runs none. */
export function localClusterStatus(): LocalClusterStatus | null {
  const dir = env().LOCAL_CLUSTER_DIR;
  if (!dir) return null;
  try {
    const raw = JSON.parse(readFileSync(path.join(dir, "status.json"), "utf8")) as LocalClusterStatus;
    if (!STATES.has(raw.state)) return { state: "starting" };
    return raw;
  } catch {
    // Not written yet, or caught mid-write: the launcher is still at its first step.
    return { state: "starting" };
  }
}

/** The local cluster's kubeconfig once it is ready; null before (or when there is none). */
export function localClusterKubeconfig(): string | null {
  const dir = env().LOCAL_CLUSTER_DIR;
  if (!dir || localClusterStatus()?.state !== "ready") return null;
  const file = path.join(dir, "kubeconfig.yaml");
  return existsSync(file) ? file : null;
}

/** What a person is told while the local cluster is not ready; null when it is, or there is none. */
export function localClusterNotice(): string | null {
  const s = localClusterStatus();
  if (!s || s.state === "ready") return null;
  if (s.state === "failed") return `The local cluster could not start: ${s.message ?? "see the npm start log"}. Approved requests stay approved.`;
  const progress = s.state === "building" && s.step ? `building, step ${s.step} of ${s.steps}` : "starting";
  return `The local cluster is not ready yet (${progress}); approved requests are provisioned as soon as it is.`;
}

/** What the banner shows: the status without the API server's address. */
export type LocalClusterView = Omit<LocalClusterStatus, "server"> | { state: "none" };

export function localClusterView(): LocalClusterView {
  const s = localClusterStatus();
  if (!s) return { state: "none" };
  const { server: _server, ...view } = s;
  return view;
}
