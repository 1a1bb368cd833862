// Two real kube-apiservers at once, each a registered cluster with its own provisioning
// worker started by the service: the portal's own connection (ENVIRONMENT) and one
// registered with a kubeconfig. Approved requests provision to their own cluster only;
// with one API server stopped, the other cluster's requests still reach READY while the
// stopped one's retry, and they complete once it is back.
import type { KubernetesObject } from "@kubernetes/client-node";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCluster } from "@/lib/clusters/default-cluster";
import { registerCluster } from "@/lib/clusters/registry";
import { db } from "@/lib/db";
import { createKube, type Kube } from "@/lib/kube/client";
import { loadKubeConfig } from "@/lib/kube/config";
import { enqueueProvisioning, startProvisioningWorker, stopProvisioningWorker } from "@/lib/provision/service";
import { act } from "@/lib/requests/actions";
import { createRequest } from "@/lib/requests/create";
import { makeActor, requestBody } from "@/test/requests/fixtures";
import { registerSimulatedNodes, startKube, type KubeCluster } from "@/test/harness/kube";
import { approvedRequest, people, setEnv, suffix, testSpec, timeline, waitForStatus, type People } from "@/test/provision/fixtures";

let home: KubeCluster;
let remote: KubeCluster;
let homeKube: Kube;
let remoteKube: Kube;
let restoreEnv: (() => void) | undefined;
let p: People;
let homeRow: { id: string; name: string };
let remoteRow: { id: string; name: string };

const kubeOf = (c: KubeCluster) => createKube(loadKubeConfig({ kind: "kubeconfig", paths: [c.kubeconfigPath] }), { requestTimeoutMs: 5_000 });

function fresh(prefix: string) {
  const s = suffix();
  return testSpec(`${prefix}-${s}`, `ns-${prefix}-${s}`);
}

async function hasScaleSet(kube: Kube, namespace: string, name: string): Promise<boolean> {
  try {
    await kube.objects.read<KubernetesObject & { metadata: { name: string } }>({
      apiVersion: "actions.github.com/v1alpha1",
      kind: "AutoscalingRunnerSet",
      metadata: { name, namespace },
    });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return false;
    throw err;
  }
}

async function approveOn(clusterId: string, prefix: string) {
  const spec = fresh(prefix);
  const { request } = await approvedRequest(p, clusterId, spec);
  expect(await enqueueProvisioning(request.id)).toMatchObject({ queued: true });
  return { request, spec };
}

beforeAll(async () => {
  // Two API servers at once (~0.7 GB each).
  [home, remote] = await Promise.all([startKube(), startKube()]);
  // Nodes as a kubelet would register them: the approval's capacity check counts them.
  await Promise.all([home, remote].map((c, i) => registerSimulatedNodes(c, { count: 2, prefix: `node-${i}` })));
  // The portal's own connection is the first; the second is registered with its kubeconfig.
  restoreEnv = setEnv({ KUBECONFIG: home.kubeconfigPath, LOG_LEVEL: "warn" });
  homeKube = kubeOf(home);
  remoteKube = kubeOf(remote);
  p = await people();
  const admin = await db.user.create({ data: { login: `admin-${suffix()}`, role: "ADMIN" } });
  homeRow = await defaultCluster();
  remoteRow = await registerCluster(admin, {
    name: `mi300-${suffix()}`,
    displayName: "MI300 on premises",
    connection: "KUBECONFIG",
    kubeconfig: readFileSync(remote.kubeconfigPath, "utf8"),
  });
  expect(
    startProvisioningWorker({
      worker: { settings: { retryDelaySeconds: 1, retryDelayMaxSeconds: 2, heartbeatSeconds: 10, retryLimit: 40 }, pollingIntervalSeconds: 0.5, reconcileIntervalSeconds: 0 },
      syncIntervalSeconds: 0,
    }),
  ).toBe(true);
}, 240_000);

afterAll(async () => {
  await stopProvisioningWorker();
  await Promise.all([home?.stop(), remote?.stop()]);
  restoreEnv?.();
});

describe("a fleet of two clusters", () => {
  it("provisions each request on its own cluster, through that cluster's worker", async () => {
    const a = await approveOn(homeRow.id, "home");
    const b = await approveOn(remoteRow.id, "remote");
    expect((await waitForStatus(a.request.id, ["READY", "FAILED"])).status).toBe("READY");
    expect((await waitForStatus(b.request.id, ["READY", "FAILED"])).status).toBe("READY");
    expect(await hasScaleSet(homeKube, a.spec.namespace, a.spec.label)).toBe(true);
    expect(await hasScaleSet(remoteKube, b.spec.namespace, b.spec.label)).toBe(true);
    // Nothing of one cluster's request lands on the other.
    expect(await hasScaleSet(remoteKube, a.spec.namespace, a.spec.label)).toBe(false);
    expect(await hasScaleSet(homeKube, b.spec.namespace, b.spec.label)).toBe(false);
    // Each row records the settings it was applied with.
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id: b.request.id } })).appliedSettings).toMatchObject({ chartVersion: "0.14.2" });
  }, 120_000);

  it("a reviewer approves a request onto the other cluster than the one preferred: it is provisioned there, through that cluster's queue", async () => {
    const requester = await makeActor({ team: "team-choice" });
    const reviewer = await makeActor({ role: "REVIEWER" });
    const body = requestBody({ team: "team-choice", preferredClusterId: homeRow.id });
    const { id } = await createRequest(requester, body, "submit");
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id } })).clusterId).toBe(homeRow.id);
    const { notice } = await act(reviewer, id, { action: "approve", clusterId: remoteRow.id });
    expect(notice).toBeNull();
    expect((await waitForStatus(id, ["READY", "FAILED"])).status).toBe("READY");
    expect(await hasScaleSet(remoteKube, body.namespace, body.label)).toBe(true);
    expect(await hasScaleSet(homeKube, body.namespace, body.label)).toBe(false);
    expect(await db.labelClaim.findUnique({ where: { requestId: id } })).toMatchObject({ clusterId: remoteRow.id, label: body.label });
  }, 120_000);

  it("keeps provisioning the healthy cluster while the other's API server is down, and finishes the other once it is back", async () => {
    await remote.stopApiserver();
    let restarted = false;
    try {
      const a = await approveOn(homeRow.id, "healthy");
      const b = await approveOn(remoteRow.id, "down");
      expect((await waitForStatus(a.request.id, ["READY", "FAILED"], 60_000)).status).toBe("READY");
      expect(await hasScaleSet(homeKube, a.spec.namespace, a.spec.label)).toBe(true);

      // The stopped cluster's request retries instead of failing or blocking the other.
      const deadline = Date.now() + 30_000;
      while ((await timeline(b.request.id)).filter((e) => e.type === "provision_retry").length < 2) {
        expect(Date.now(), "no provision_retry events for the stopped cluster's request").toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 250));
      }
      const waiting = await db.runnerRequest.findUniqueOrThrow({ where: { id: b.request.id } });
      expect(["APPROVED", "PROVISIONING"]).toContain(waiting.status);
      const retry = (await timeline(b.request.id)).find((e) => e.type === "provision_retry");
      expect(retry?.message).toMatch(/refused the connection|did not answer/);

      await remote.startApiserver();
      restarted = true;
      expect((await waitForStatus(b.request.id, ["READY", "FAILED"], 90_000)).status).toBe("READY");
      expect(await hasScaleSet(remoteKube, b.spec.namespace, b.spec.label)).toBe(true);
    } finally {
      if (!restarted) await remote.startApiserver();
    }
  }, 240_000);
});
