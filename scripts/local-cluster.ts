// The local cluster of `npm start`: the tests' real kube-apiserver + etcd with ARC's CRDs, kept in
// the data folder between runs. It is built (minutes, once per machine) and started in the
// background while the portal already serves; status.json tells the portal how far it is
// (lib/kube/local-cluster.ts reads it) and kubeconfig.yaml how to reach it once ready.
import { renameSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { LocalClusterStatus } from "@/lib/kube/local-cluster";
import { buildKubeBinaries } from "./kube/binaries";
import { registerSimulatedNodes, startKube, type KubeCluster } from "./kube/cluster";

/** Two nodes a kubelet would register, so the capacity check has something to count. */
const SIMULATED_NODES = 2;

export interface LocalCluster {
  dir: string;
  /** Resolves once the cluster is ready (or has failed, and said so in status.json). */
  ready: Promise<KubeCluster | null>;
  stop(): Promise<void>;
}

function writeStatus(dir: string, status: LocalClusterStatus) {
  // Written whole and renamed: the portal never reads half a file.
  const file = path.join(dir, "status.json");
  writeFileSync(`${file}.tmp`, JSON.stringify(status));
  renameSync(`${file}.tmp`, file);
}

export async function startLocalCluster(dir: string, say: (msg: string) => void, opts: { gpuResource?: string } = {}): Promise<LocalCluster> {
  await mkdir(dir, { recursive: true });
  const startedAt = new Date().toISOString();
  writeStatus(dir, { state: "starting", startedAt });
  let cluster: KubeCluster | undefined;
  let stopping = false;
  const ready = (async () => {
    try {
      await buildKubeBinaries({
        onStep: (s) => {
          say(`local cluster: building kube-apiserver, step ${s.step} of ${s.steps}: ${s.label}`);
          writeStatus(dir, { state: "building", step: s.step, steps: s.steps, label: s.label, startedAt });
        },
      });
      if (stopping) return null;
      writeStatus(dir, { state: "starting", startedAt });
      cluster = await startKube({ dataDir: dir, persistent: true });
      await registerSimulatedNodes(cluster, { count: SIMULATED_NODES, prefix: "local-gpu-node", gpuResource: opts.gpuResource });
      if (stopping) {
        await cluster.stop();
        return null;
      }
      writeStatus(dir, { state: "ready", server: cluster.server, startedAt });
      return cluster;
    } catch (err) {
      const message = (err as Error).message.split("\n")[0]!;
      say(`local cluster: FAILED: ${(err as Error).message}`);
      writeStatus(dir, { state: "failed", message, startedAt });
      return null;
    }
  })();
  return {
    dir,
    ready,
    stop: async () => {
      stopping = true;
      await cluster?.stop();
    },
  };
}
