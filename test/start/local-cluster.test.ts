import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { clusterFromKubeconfig, kubeRequest } from "@/test/harness/kube-request";
import { setEnv } from "@/test/harness/set-env";
import { startLocalCluster } from "@/scripts/local-cluster";

// The local cluster of `npm start`: the launcher's status file, read by the portal, decides when
// provisioning turns on; the cluster keeps what it holds across restarts, as a database would.

const dir = mkdtempSync(path.join(tmpdir(), "local-cluster-"));
const restore = setEnv({ LOCAL_CLUSTER_DIR: dir });
afterAll(() => {
  restore();
  rmSync(dir, { recursive: true, force: true });
});

const credentials = () => clusterFromKubeconfig(path.join(dir, "kubeconfig.yaml"));

describe("the local cluster", () => {
  it("is no cluster connection while it builds, and the notice says how far it is", async () => {
    const { kubeSourceFromEnv } = await import("@/lib/kube/config");
    const { localClusterNotice, localClusterView } = await import("@/lib/kube/local-cluster");
    writeFileSync(path.join(dir, "status.json"), JSON.stringify({ state: "building", step: 3, steps: 6, label: "unpacking", startedAt: new Date().toISOString() }));
    expect(kubeSourceFromEnv()).toBeNull();
    expect(localClusterNotice()).toBe("The local cluster is not ready yet (building, step 3 of 6); approved requests are provisioned as soon as it is.");
    expect(localClusterView()).toMatchObject({ state: "building", step: 3, steps: 6 });
  });

  it("becomes the portal's cluster once ready, keeps its objects across a restart, and never shows its address", async () => {
    const { kubeSourceFromEnv, describeSource } = await import("@/lib/kube/config");
    const { localClusterView } = await import("@/lib/kube/local-cluster");
    const lines: string[] = [];
    const first = await startLocalCluster(dir, (m) => lines.push(m));
    const cluster = await first.ready;
    expect(cluster, lines.join("\n")).not.toBeNull();
    const source = kubeSourceFromEnv();
    expect(source).toEqual({ kind: "kubeconfig", paths: [path.join(dir, "kubeconfig.yaml")], local: true });
    expect(describeSource(source!)).toBe("the local cluster of npm start");
    expect(localClusterView()).toEqual({ state: "ready", startedAt: expect.any(String) });

    const before = credentials();
    expect(before.server).toBe(cluster!.server);
    const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "kept-across-restarts" } };
    expect((await kubeRequest(before, "POST", "/api/v1/namespaces", ns)).status).toBe(201);
    await first.stop();

    const second = await startLocalCluster(dir, () => undefined);
    try {
      expect(await second.ready).not.toBeNull();
      const after = credentials();
      expect(after).toEqual(before);
      expect((await kubeRequest(after, "GET", "/api/v1/namespaces/kept-across-restarts")).status).toBe(200);
      const crd = await kubeRequest(after, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/autoscalingrunnersets.actions.github.com");
      expect(crd.status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
