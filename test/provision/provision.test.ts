// Provisioning against a real kube-apiserver v1.20 with the real ARC CRDs: approval ends in
// the rendering core's objects in the cluster, the key leaves the database, status flows
// back, conflicts and a missing namespace fail clearly, drift is seen and re-applied, a
// decommission removes everything in order, and the capacity check adds up.
import type { KubernetesObject, V1Namespace, V1Secret } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { githubAppSecret, renderManifests, type KubeObject } from "@/lib/arc";
import { environmentSettings } from "@/lib/clusters/settings";
import { db } from "@/lib/db";
import { createKube, setDefaultKube, type Kube } from "@/lib/kube/client";
import { loadKubeConfig } from "@/lib/kube/config";
import { capacityCheck } from "@/lib/provision/capacity";
import { desiredFor } from "@/lib/provision/desired";
import { driftBetween } from "@/lib/provision/drift";
import { FIELD_MANAGER } from "@/lib/provision/kube-objects";
import { runnerStatus } from "@/lib/provision/status";
import type { CapacityReport, RunnerStatusReport } from "@/lib/provision/types";
import { ProvisioningWorker } from "@/lib/provision/worker";
import { act } from "@/lib/requests/actions";
import { performTransition } from "@/lib/requests/transition";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import {
  approvedRequest,
  arsPath,
  kubeRequest,
  people,
  setEnv,
  suffix,
  testCluster,
  testSpec,
  timeline,
  waitForStatus,
  writeScaleSetStatus,
  type People,
} from "./fixtures";

// Cluster settings come from the environment and are cached; the missing-namespace test
// needs a cluster that forbids creating namespaces.
const overrides = vi.hoisted(() => ({ allowCreateNamespace: true }));
vi.mock("@/lib/clusters/settings", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/clusters/settings")>();
  return { ...real, environmentSettings: () => ({ ...real.environmentSettings(), ...overrides }) };
});
// The route handlers ask next-auth who is signed in; here the test says.
const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ currentActor: async () => signedIn.actor }));

let cluster: KubeCluster;
let restoreEnv: (() => void) | undefined;
let kube: Kube;
let worker: ProvisioningWorker;
let clusterRow: { id: string; name: string };
let p: People;

const read = <T extends KubernetesObject = KubernetesObject & Record<string, any>>(apiVersion: string, kind: string, namespace: string, name: string) =>
  kube.objects.read<T>({ apiVersion, kind, metadata: { name, namespace } } as T & { metadata: { name: string } });
const exists = (apiVersion: string, kind: string, namespace: string, name: string) =>
  read(apiVersion, kind, namespace, name).then(
    () => true,
    (err: { code?: number }) => (err.code === 404 ? false : Promise.reject(err)),
  );

function fresh(prefix: string) {
  const s = suffix();
  return { label: `${prefix}-${s}`, namespace: `ns-${prefix}-${s}` };
}

async function provision(spec = testSpec(fresh("gpu").label, fresh("gpu").namespace), opts?: Parameters<typeof approvedRequest>[3]) {
  const { request, pem } = await approvedRequest(p, clusterRow.id, spec, opts);
  await worker.enqueue(request.id);
  return { request, pem, spec, done: await waitForStatus(request.id, ["READY", "FAILED"]) };
}

beforeAll(async () => {
  cluster = await startKube();
  // Only warnings (retries) from the worker in the test output.
  restoreEnv = setEnv({ KUBECONFIG: cluster.kubeconfigPath, LOG_LEVEL: "warn" });
  kube = createKube(loadKubeConfig({ kind: "kubeconfig", paths: [cluster.kubeconfigPath] }));
  setDefaultKube(kube);
  clusterRow = await testCluster("prov");
  p = await people();
  worker = new ProvisioningWorker({
    databaseUrl: process.env.DATABASE_URL!,
    kube,
    cluster: clusterRow,
    settings: { retryLimit: 2, retryDelaySeconds: 1, retryDelayMaxSeconds: 2, heartbeatSeconds: 10 },
    pollingIntervalSeconds: 0.5,
    reconcileIntervalSeconds: 0,
    scaleSetGoneTimeoutMs: 5_000,
  });
  await worker.start();
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  setDefaultKube(undefined);
  await cluster?.stop();
  restoreEnv?.();
});

beforeEach(() => {
  overrides.allowCreateNamespace = true;
  signedIn.actor = null;
});

describe("approval provisions the scale set", () => {
  it("creates the namespace, Secret, RBAC and AutoscalingRunnerSet exactly as rendered, then deletes the key", async () => {
    const { label, namespace } = fresh("mi300");
    const spec = testSpec(label, namespace, { docker: true, gpus: 4, maxRunners: 5 });
    const { request, pem, done } = await provision(spec);
    expect(done.status).toBe("READY");

    const settings = environmentSettings();
    const { githubApp: _app, ...scaleSet } = spec;
    const rendered = renderManifests(scaleSet, settings);
    for (const obj of rendered) {
      const live = await read(obj.apiVersion, obj.kind, namespace, obj.metadata.name);
      // Everything the rendering core set is in the cluster with the same value...
      expect(driftBetween(obj, live as Record<string, unknown>, ["metadata", "spec", "rules", "roleRef", "subjects"])).toEqual([]);
      // ...owned by the portal's one field manager, through server-side apply.
      expect(live.metadata?.managedFields?.map((m) => `${m.manager}/${m.operation}`)).toEqual([`${FIELD_MANAGER}/Apply`]);
    }
    const ars = await read(rendered[3]!.apiVersion, "AutoscalingRunnerSet", namespace, label);
    // The CRD accepted the whole spec, nothing pruned or defaulted into it.
    expect(ars.spec).toEqual(rendered[3]!.spec);
    expect(ars.metadata?.labels).toMatchObject({ "app.kubernetes.io/version": "0.14.2", "actions.github.com/scale-set-name": label });
    expect(ars.metadata?.annotations).toMatchObject({
      "actions.github.com/cleanup-manager-role-name": `${label}-gha-rs-manager`,
      "arc-runner-portal/team": "nod-ai (SHARK)",
    });
    const role = await read("rbac.authorization.k8s.io/v1", "Role", namespace, `${label}-gha-rs-manager`);
    expect(role.metadata?.finalizers).toEqual(["actions.github.com/cleanup-protection"]);

    const secret = await read<V1Secret>("v1", "Secret", namespace, `${label}-gha-rs-github-secret`);
    const decoded = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
    expect(decoded).toEqual({ github_app_id: "123456", github_app_installation_id: "98765432", github_app_private_key: pem });
    expect(secret.data).toEqual(githubAppSecret(scaleSet, settings, { appId: "123456", installationId: "98765432", privateKey: pem! }).data);

    const ns = await kube.core.readNamespace({ name: namespace });
    expect(ns.metadata?.labels?.["app.kubernetes.io/managed-by"]).toBe("arc-runner-portal");

    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row.privateKeyCiphertext).toBeNull();
    expect(row.privateKeyFingerprint).toBe(request.privateKeyFingerprint);

    const events = await timeline(request.id);
    expect(events.map((e) => e.type)).toEqual([
      "approve",
      "start_provisioning",
      "provision_step",
      "provision_step",
      "key_deleted",
      "provision_step",
      "provision_step",
      "provisioned",
    ]);
    expect(events[2]!.message).toBe(`Namespace ${namespace} created.`);
    expect(events[3]!.message).toContain(`Secret ${namespace}/${label}-gha-rs-github-secret applied and read back`);
    expect(events[4]!.message).toContain(request.privateKeyFingerprint!);
    expect(events.at(-1)!.toStatus).toBe("READY");
  });

  it("re-running changes nothing and keeps the Secret when no new key comes with it", async () => {
    const { request, spec } = await provision();
    const objects = desiredFor({ approvedSpec: spec, clusterId: clusterRow.id }, environmentSettings());
    const all: KubeObject[] = [objects.serviceAccount!, objects.role, objects.roleBinding, objects.autoscalingRunnerSet];
    const versions = async () =>
      Promise.all([...all.map((o) => read(o.apiVersion, o.kind, spec.namespace, o.metadata.name)), read("v1", "Secret", spec.namespace, objects.names.secret)]).then((list) =>
        list.map((o) => o.metadata?.resourceVersion),
      );
    const before = await versions();

    await performTransition({ requestId: request.id, action: "reapply", actor: p.reviewer });
    await worker.enqueue(request.id);
    expect((await waitForStatus(request.id, ["READY", "FAILED"])).status).toBe("READY");

    expect(await versions()).toEqual(before);
    const events = await timeline(request.id);
    expect(events.some((e) => e.message?.includes("kept: this request carries no new private key"))).toBe(true);
    expect(events.filter((e) => e.type === "key_deleted")).toHaveLength(1);
  });

  it("a change that carries no new key but a new installation ID keeps the key in the Secret", async () => {
    const { request, spec, pem } = await provision();
    const changed = { ...spec, maxRunners: 3, githubApp: { appId: "123456", installationId: "55555" } };
    await db.runnerRequest.update({
      where: { id: request.id },
      data: { status: "APPROVED", reviewKind: "CHANGE", spec: changed as never, approvedSpec: changed as never },
    });
    await worker.enqueue(request.id);
    expect((await waitForStatus(request.id, ["READY", "FAILED"])).status).toBe("READY");
    const secret = await read<V1Secret>("v1", "Secret", spec.namespace, `${spec.label}-gha-rs-github-secret`);
    expect(Buffer.from(secret.data!.github_app_installation_id!, "base64").toString()).toBe("55555");
    expect(Buffer.from(secret.data!.github_app_private_key!, "base64").toString()).toBe(pem);
    expect((await read("actions.github.com/v1alpha1", "AutoscalingRunnerSet", spec.namespace, spec.label)).spec.maxRunners).toBe(3);
  });
});

describe("live status", () => {
  it("shows the counts the controller writes into the AutoscalingRunnerSet's status, through the route", async () => {
    const { request, spec } = await provision();
    let status = await runnerStatus(await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } }), { reviewer: false, kube });
    expect(status).toMatchObject({ state: "live", runners: { phase: null, current: 0, maxRunners: 6 }, drift: { differences: [] } });

    await writeScaleSetStatus(cluster, spec.namespace, spec.label, {
      phase: "Running",
      currentRunners: 4,
      pendingEphemeralRunners: 1,
      runningEphemeralRunners: 2,
      failedEphemeralRunners: 1,
    });

    signedIn.actor = p.requester;
    const { GET } = await import("@/app/api/requests/[id]/status/route");
    const res = await GET(new Request(`http://portal.test/api/requests/${request.id}/status`), { params: Promise.resolve({ id: request.id }) });
    expect(res.status).toBe(200);
    status = (await res.json()) as RunnerStatusReport;
    expect(status).toMatchObject({
      state: "live",
      requestStatus: "READY",
      runners: { phase: "Running", current: 4, pending: 1, running: 2, failed: 1, minRunners: 0, maxRunners: 6 },
      drift: { missing: false, differences: [] },
      reapplyAvailable: false,
    });

    // Another team's member does not even learn that the request exists.
    signedIn.actor = { ...p.requester, id: "someone-else", teamIds: [] };
    const hidden = await GET(new Request(`http://portal.test/api/requests/${request.id}/status`), { params: Promise.resolve({ id: request.id }) });
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toEqual({ error: expect.stringContaining("was not found") });
  });

  it("says provisioning is off without a cluster", async () => {
    const { request } = await approvedRequest(p, clusterRow.id, testSpec(fresh("off").label, fresh("off").namespace), { status: "READY" });
    const status = await runnerStatus(request, { reviewer: true, kube: null });
    expect(status.state).toBe("off");
    expect(status.message).toMatch(/Provisioning is off/);
  });
});

describe("faults that need a person", () => {
  it("reports a conflict with another field manager instead of forcing it", async () => {
    const { label, namespace } = fresh("taken");
    await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
    const spec = testSpec(label, namespace);
    // Someone installed a scale set of the same name with Helm (server-side apply, manager "helm").
    const theirs = { ...desiredFor({ approvedSpec: spec, clusterId: clusterRow.id }, environmentSettings()).autoscalingRunnerSet };
    theirs.spec = { ...(theirs.spec as object), maxRunners: 2 };
    const applied = await kubeRequest(cluster, "PATCH", `${arsPath(namespace, label)}?fieldManager=helm`, theirs, "application/apply-patch+yaml");
    expect(applied.status).toBe(201);

    const { request, done } = await provision(spec);
    expect(done.status).toBe("FAILED");
    const failed = (await timeline(request.id)).at(-1)!;
    expect(failed.type).toBe("provisioning_failed");
    expect(failed.message).toContain(`AutoscalingRunnerSet ${namespace}/${label}: another field manager owns fields the portal would change: spec.maxRunners (owned by helm)`);
    expect(failed.message).toContain("will not take it over");
    expect(failed.message).toContain('Apply failed with 1 conflict: conflict with "helm"');
    const live = await read("actions.github.com/v1alpha1", "AutoscalingRunnerSet", namespace, label);
    expect(live.spec.maxRunners).toBe(2);
    expect(live.metadata?.managedFields?.map((m) => m.manager)).toEqual(["helm"]);

    // A reviewer's retry does not take over an object the portal never created either.
    await performTransition({ requestId: request.id, action: "retry", actor: p.reviewer });
    await worker.enqueue(request.id);
    expect((await waitForStatus(request.id, ["READY", "FAILED"])).status).toBe("FAILED");
    expect((await read("actions.github.com/v1alpha1", "AutoscalingRunnerSet", namespace, label)).spec.maxRunners).toBe(2);
  });

  it("fails clearly when the namespace is missing and the portal may not create it, and a retry works once it exists", async () => {
    overrides.allowCreateNamespace = false;
    const { label, namespace } = fresh("nons");
    const { request, done } = await provision(testSpec(label, namespace));
    expect(done.status).toBe("FAILED");
    const failed = (await timeline(request.id)).at(-1)!;
    expect(failed.message).toBe(
      `Namespace ${namespace} does not exist on the cluster, and the portal may not create namespaces there (ARC_ALLOW_CREATE_NAMESPACE is off). Ask the cluster's administrators to create it, then retry.`,
    );
    expect(await exists("v1", "Namespace", "", namespace)).toBe(false);
    expect(await exists("v1", "Secret", namespace, `${label}-gha-rs-github-secret`)).toBe(false);
    // The key stays until the cluster holds it.
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } })).privateKeyCiphertext).not.toBeNull();

    await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
    await performTransition({ requestId: request.id, action: "retry", actor: p.reviewer });
    await worker.enqueue(request.id);
    expect((await waitForStatus(request.id, ["READY", "FAILED"])).status).toBe("READY");
    const ns = await read<V1Namespace>("v1", "Namespace", "", namespace);
    expect(ns.metadata?.labels?.["app.kubernetes.io/managed-by"]).toBeUndefined();
  });
});

describe("drift", () => {
  it("sees maxRunners edited by hand, and a reviewer's re-apply restores the approved value", async () => {
    const { request, spec } = await provision();
    // kubectl edit: an Update by another manager, which then owns spec.maxRunners.
    const edited = await kubeRequest(cluster, "PATCH", `${arsPath(spec.namespace, spec.label)}?fieldManager=kubectl-edit`, { spec: { maxRunners: 9 } }, "application/merge-patch+json");
    expect(edited.status).toBe(200);

    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } });
    const asTeam = await runnerStatus(row, { reviewer: false, kube });
    expect(asTeam.drift).toEqual({ missing: false, differences: [{ path: "spec.maxRunners", approved: 6, live: 9 }], editedBy: ["kubectl-edit"] });
    expect(asTeam.reapplyAvailable).toBe(false);
    expect(asTeam.message).toContain("differs from what was approved (edited by kubectl-edit)");
    expect((await runnerStatus(row, { reviewer: true, kube })).reapplyAvailable).toBe(true);

    await performTransition({ requestId: request.id, action: "reapply", actor: p.reviewer });
    await worker.enqueue(request.id);
    expect((await waitForStatus(request.id, ["READY", "FAILED"])).status).toBe("READY");
    const live = await read("actions.github.com/v1alpha1", "AutoscalingRunnerSet", spec.namespace, spec.label);
    expect(live.spec.maxRunners).toBe(6);
    const events = await timeline(request.id);
    expect(events.some((e) => e.message?.includes("took back spec.maxRunners from kubectl-edit"))).toBe(true);
    const after = await runnerStatus(await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } }), { reviewer: true, kube });
    expect(after.drift?.differences).toEqual([]);
  });

  it("sees a deleted AutoscalingRunnerSet, and a re-apply creates it again", async () => {
    const { request, spec } = await provision();
    expect((await kubeRequest(cluster, "DELETE", arsPath(spec.namespace, spec.label))).status).toBe(200);
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } });
    const status = await runnerStatus(row, { reviewer: true, kube });
    expect(status).toMatchObject({ state: "missing", drift: { missing: true }, reapplyAvailable: true });

    await performTransition({ requestId: request.id, action: "reapply", actor: p.reviewer });
    await worker.enqueue(request.id);
    expect((await waitForStatus(request.id, ["READY", "FAILED"])).status).toBe("READY");
    expect(await exists("actions.github.com/v1alpha1", "AutoscalingRunnerSet", spec.namespace, spec.label)).toBe(true);
  });
});

describe("decommission", () => {
  it("deletes the scale set, then RBAC (removing the cleanup finalizers), then the Secret, and records each", async () => {
    const { request, spec } = await provision();
    await performTransition({ requestId: request.id, action: "request_decommission", actor: p.requester, reason: "project ended" });
    await performTransition({ requestId: request.id, action: "approve", actor: p.reviewer });
    await worker.enqueue(request.id);
    expect((await waitForStatus(request.id, ["DECOMMISSIONED", "FAILED"])).status).toBe("DECOMMISSIONED");

    const gone = await Promise.all([
      exists("actions.github.com/v1alpha1", "AutoscalingRunnerSet", spec.namespace, spec.label),
      exists("rbac.authorization.k8s.io/v1", "RoleBinding", spec.namespace, `${spec.label}-gha-rs-manager`),
      exists("rbac.authorization.k8s.io/v1", "Role", spec.namespace, `${spec.label}-gha-rs-manager`),
      exists("v1", "ServiceAccount", spec.namespace, `${spec.label}-gha-rs-no-permission`),
      exists("v1", "Secret", spec.namespace, `${spec.label}-gha-rs-github-secret`),
    ]);
    expect(gone).toEqual([false, false, false, false, false]);

    const steps = (await timeline(request.id)).filter((e) => e.type === "decommission_step").map((e) => e.message);
    expect(steps).toEqual([
      `AutoscalingRunnerSet ${spec.namespace}/${spec.label} deleted and gone.`,
      expect.stringMatching(/^RoleBinding \S+ deleted \(removed leftover finalizer actions\.github\.com\/cleanup-protection\); Role .* deleted .*; ServiceAccount .* deleted/),
      `Secret ${spec.namespace}/${spec.label}-gha-rs-github-secret deleted.`,
    ]);
    expect(await db.labelClaim.findUnique({ where: { requestId: request.id } })).toBeNull();
    const status = await runnerStatus(await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } }), { reviewer: true, kube });
    expect(status.state).toBe("not-provisioned");
  });

  it("an imported scale set not taken over: asking says it deletes helm's objects and leaves helm's release records, and the timeline says so again", async () => {
    const decommission = async (adoptFrom: string | null) => {
      const { request, spec } = await provision();
      // What an import leaves on the request until a reviewer's take-over (lib/clusters/import-request.ts).
      if (adoptFrom) await db.runnerRequest.update({ where: { id: request.id }, data: { adoptFrom } });
      const { notice } = await act(p.requester, request.id, { action: "request_decommission", reason: "project ended" });
      await performTransition({ requestId: request.id, action: "approve", actor: p.reviewer });
      await worker.enqueue(request.id);
      expect((await waitForStatus(request.id, ["DECOMMISSIONED", "FAILED"])).status).toBe("DECOMMISSIONED");
      const events = await timeline(request.id);
      return {
        spec,
        notice,
        asked: events.find((e) => e.type === "request_decommission")?.message,
        done: events.find((e) => e.toStatus === "DECOMMISSIONED")?.message,
      };
    };

    const imported = await decommission("helm");
    const records = `kubectl delete secret -n ${imported.spec.namespace} -l owner=helm,name=${imported.spec.label}`;
    expect(imported.notice).toContain("installed by Helm (field managers: helm)");
    expect(imported.notice).toContain("Decommissioning deletes them from the cluster");
    expect(imported.notice).toContain("The Helm release records are left behind");
    expect(imported.notice).toContain(records);
    expect(imported.asked).toBe(`project ended\n${imported.notice}`);
    expect(imported.done).toContain(`Scale set ${imported.spec.label} removed from namespace ${imported.spec.namespace}.`);
    expect(imported.done).toContain(records);

    const normal = await decommission(null);
    expect(normal.notice).toBeNull();
    expect(normal.asked).toBe("project ended");
    expect(normal.done).toBe(`Scale set ${normal.spec.label} removed from namespace ${normal.spec.namespace}.`);
  }, 60_000);

  it("waits for the controller while the AutoscalingRunnerSet has its finalizer, and keeps RBAC and Secret until then", async () => {
    const { request, spec } = await provision();
    // The ARC controller's own finalizer on the scale set.
    await kubeRequest(cluster, "PATCH", arsPath(spec.namespace, spec.label), { metadata: { finalizers: ["autoscalingrunnerset.actions.github.com/finalizer"] } }, "application/merge-patch+json");
    await performTransition({ requestId: request.id, action: "request_decommission", actor: p.requester, reason: "done" });
    await performTransition({ requestId: request.id, action: "approve", actor: p.reviewer });
    await worker.enqueue(request.id);

    // First attempt waits 5 s, then retries; meanwhile nothing else is deleted.
    const deadline = Date.now() + 30_000;
    while (!(await timeline(request.id)).some((e) => e.type === "provision_retry") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    const retry = (await timeline(request.id)).find((e) => e.type === "provision_retry");
    expect(retry?.message).toContain("the ARC controller has not finished cleaning up (finalizers: autoscalingrunnerset.actions.github.com/finalizer)");
    expect(await exists("rbac.authorization.k8s.io/v1", "Role", spec.namespace, `${spec.label}-gha-rs-manager`)).toBe(true);
    expect(await exists("v1", "Secret", spec.namespace, `${spec.label}-gha-rs-github-secret`)).toBe(true);

    // The controller finishes: it removes its finalizer.
    await kubeRequest(cluster, "PATCH", arsPath(spec.namespace, spec.label), { metadata: { finalizers: null } }, "application/merge-patch+json");
    expect((await waitForStatus(request.id, ["DECOMMISSIONED", "FAILED"])).status).toBe("DECOMMISSIONED");
    expect(await exists("v1", "Secret", spec.namespace, `${spec.label}-gha-rs-github-secret`)).toBe(false);
  }, 60_000);
});

describe("capacity", () => {
  it("adds up the worst case, node allocatable, approved claims and the namespace quota, and flags what does not fit", async () => {
    const gpu = environmentSettings().gpuResourceName;
    const capCluster = await testCluster("cap");
    const node = (name: string, allocatable: Record<string, string>, unschedulable = false) =>
      kube.core.createNode({ body: { metadata: { name: `${name}-${suffix()}` }, spec: { unschedulable }, status: { allocatable, capacity: allocatable } } });
    await node("mi300-a", { [gpu]: "8", cpu: "128", memory: "1056764504Ki", pods: "110" });
    await node("mi300-b", { [gpu]: "8", cpu: "127900m", memory: "1Ti", pods: "110" });
    await node("mi300-cordoned", { [gpu]: "8", cpu: "128", memory: "1Ti", pods: "110" }, true);

    const { label, namespace } = fresh("cap");
    await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
    const quota = await kube.core.createNamespacedResourceQuota({
      namespace,
      body: { metadata: { name: "team-quota" }, spec: { hard: { [`requests.${gpu}`]: "16", "requests.memory": "2Ti" } } },
    });
    // The quota controller's usage, written as it would.
    await kubeRequest(cluster, "PATCH", `/api/v1/namespaces/${namespace}/resourcequotas/team-quota/status`, {
      status: { hard: quota.spec!.hard, used: { [`requests.${gpu}`]: "4", "requests.memory": "256Gi" } },
    }, "application/merge-patch+json");

    // Already approved on this cluster: 4 × 2 GPUs live elsewhere, and a decommissioned one that no longer counts.
    await approvedRequest(p, capCluster.id, testSpec(fresh("other").label, "elsewhere", { gpus: 2, maxRunners: 4, cpu: "8", memory: "64Gi" }), { status: "READY", pem: null });
    await approvedRequest(p, capCluster.id, testSpec(fresh("old").label, "elsewhere", { gpus: 8, maxRunners: 10 }), { status: "DECOMMISSIONED", pem: null });

    const spec = testSpec(label, namespace, { gpus: 2, maxRunners: 6, cpu: "16", memory: "128Gi" });
    const { request } = await approvedRequest(p, capCluster.id, spec, { status: "SUBMITTED", pem: null });

    const report = await capacityCheck({ ...request, spec }, { kube });
    const nodesNow = (await kube.core.listNode()).items.length;
    expect(report.cluster).toEqual({ state: "live", message: null, nodes: nodesNow });
    const byResource = Object.fromEntries(report.resources.map((r) => [r.resource, r]));
    // Other tests' nodes are not in this cluster's GPU sum: only these three were created.
    expect(byResource.gpu).toMatchObject({ name: gpu, perRunner: 2, worstCase: 12, allocatable: 16, largestNode: 8, claimed: 8, free: 8, fits: false });
    expect(byResource.cpu).toMatchObject({ perRunner: 16, worstCase: 96, claimed: 32, fits: true });
    expect(byResource.cpu!.allocatable).toBeCloseTo(255.9, 6);
    expect(byResource.memory).toMatchObject({ perRunner: 128 * 2 ** 30, worstCase: 768 * 2 ** 30, allocatable: 1056764504 * 1024 + 2 ** 40, claimed: 256 * 2 ** 30, fits: true });
    expect(report.quotas).toEqual([
      { quota: "team-quota", key: `requests.${gpu}`, resource: "gpu", hard: 16, used: 4, claimedInNamespace: 0, worstCase: 12, fits: true },
      { quota: "team-quota", key: "requests.memory", resource: "memory", hard: 2 * 2 ** 40, used: 256 * 2 ** 30, claimedInNamespace: 0, worstCase: 768 * 2 ** 30, fits: true },
    ]);
    expect(report.claims.map((c) => c.status)).toEqual(["READY"]);
    expect(report.flags).toEqual([
      `Needs up to 12 ${gpu} (6 runners × 2 ${gpu}); the cluster has 16 ${gpu} allocatable, and approved scale sets already claim 8 ${gpu}, leaving 8 ${gpu}.`,
    ]);
    expect(report.fits).toBe(false);

    // A runner bigger than any node, and a quota it cannot fit in.
    const huge = await capacityCheck({ ...request, spec: { ...spec, gpus: 12, maxRunners: 2 } }, { kube });
    expect(huge.flags).toEqual(
      expect.arrayContaining([
        `Each runner needs 12 ${gpu}, but the largest node offers 8 ${gpu}: a runner's pod cannot span nodes, so it would never start.`,
        expect.stringContaining(`ResourceQuota team-quota in ${namespace} allows requests.${gpu} 16 ${gpu} (4 ${gpu} in use`),
      ]),
    );

    // Through the route: reviewers only.
    const { GET } = await import("@/app/api/requests/[id]/capacity/route");
    const call = () => GET(new Request(`http://portal.test/api/requests/${request.id}/capacity`), { params: Promise.resolve({ id: request.id }) });
    signedIn.actor = p.requester;
    expect((await call()).status).toBe(403);
    signedIn.actor = p.reviewer;
    const res = await call();
    expect(res.status).toBe(200);
    expect(((await res.json()) as CapacityReport).resources[0]).toMatchObject({ worstCase: 12, claimed: 8 });
  });
});
