import "server-only";
import { VersionApi } from "@kubernetes/client-node";
import { db } from "@/lib/db";
import { notFoundError } from "@/lib/http-errors";
import { clientConfiguration } from "@/lib/kube/client";
import { describeKubeError } from "@/lib/kube/errors";
import { firstLine } from "@/lib/first-line";
import { kubeConfigOf, type ConnectionRow } from "./connection-summary";

// Whether the admin list can reach a cluster's API server right now, and its version: one
// GET /version with a short limit, so that an unreachable cluster costs the page seconds, not minutes.

export type ProbeResult = { reachable: true; version: string } | { reachable: false; problem: string };

const PROBE_TIMEOUT_MS = 2_000;

const KUBE_VERSION = /^v\d+\.\d+\.\d+[0-9A-Za-z.+-]{0,60}$/;

async function probeCluster(row: ConnectionRow, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  let server: string | undefined;
  try {
    const kc = kubeConfigOf(row);
    server = kc.getCurrentCluster()?.server;
    if (!server) return { reachable: false, problem: "The connection names no API server." };
    // Its own connection pool, closed once the answer is in (not awaited: the answer needs nothing
    // more); a probe is one request, and the cluster's workers keep their own pool.
    const client = clientConfiguration(kc, { requestTimeoutMs: timeoutMs });
    const info = await new VersionApi(client.configuration).getCode().finally(() => void client.close());
    // Only a version is repeated, never what else the server said (lib/kube/errors.ts).
    const version = typeof info?.gitVersion === "string" && KUBE_VERSION.test(info.gitVersion) ? info.gitVersion : null;
    if (!version) return { reachable: false, problem: `The server at ${server} is not a Kubernetes API: its /version answer names no Kubernetes version.` };
    return { reachable: true, version };
  } catch (err) {
    const name = (err as Error)?.name;
    if (name === "TimeoutError" || name === "AbortError") return { reachable: false, problem: `No answer within ${timeoutMs / 1000} s.` };
    if (server === undefined) return { reachable: false, problem: firstLine(err) };
    const problem = describeKubeError(err, server).message;
    const cause = (err as { cause?: { message?: string } })?.cause?.message;
    // undici's bare "fetch failed" says nothing; its cause says why (bad port, TLS, DNS).
    return { reachable: false, problem: problem === "fetch failed" && cause ? `The Kubernetes API server at ${server} could not be reached (${cause})` : problem };
  }
}

/** The probe of a registered cluster; 404 for an unknown id. */
export async function probeClusterById(id: string): Promise<ProbeResult> {
  const row = await db.cluster.findUnique({ where: { id }, select: { name: true, connection: true, kubeconfigCiphertext: true } });
  if (!row) throw notFoundError("That cluster is not registered.");
  return probeCluster(row);
}
