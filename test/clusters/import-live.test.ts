// Import of scale sets that were installed by hand (helm, from the production values files)
// on a real kube-apiserver v1.20 with the real ARC CRDs: they are listed, the portal's own
// are not, an import maps each onto the form's fields plus an overlay that renders back to
// the very objects in the cluster, and nothing in the cluster changes; then a reviewer's first
// re-apply takes exactly that scale set over from helm, and a request that was not imported never forces.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestsFromValues } from "@/lib/arc/manifests-from-values";
import { renderOverlaidValues } from "@/lib/arc/overlaid-values";
import type { ValuesData } from "@/lib/arc/overlay";
import { defaultClusterSettings } from "@/lib/arc/settings";
import {
  importLiveScaleSet,
  listUnmanagedScaleSets,
  LiveScaleSetNotFound,
} from "@/lib/clusters/import-live";
import { createKube, type Kube } from "@/lib/kube/client";
import { loadKubeConfig } from "@/lib/kube/config";
import { scaleSetObjectNames } from "@/lib/arc/object-names";
import { createNamespace, helmInstall, referenceValues } from "./helm-install";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { arsPath, kubeRequest } from "@/test/harness/kube-request";
import { FIELD_MANAGER } from "@/lib/provision/kube-objects";

const OWNER = { team: "ROCm", contact: "@rocm-lead" };
const settings = defaultClusterSettings;

let cluster: KubeCluster;
let kube: Kube;
const namespace = `arc-runner-test-nfs-${Date.now().toString(36)}`;
const portalNamespace = `${namespace}-p`;

async function liveArs(ns: string, name: string) {
  const res = await kubeRequest(cluster, "GET", arsPath(ns, name));
  expect(res.status).toBe(200);
  return res.body as { metadata: { resourceVersion: string; managedFields: { manager: string }[] }; spec: Record<string, unknown> };
}

beforeAll(async () => {
  cluster = await startKube();
  kube = createKube(loadKubeConfig({ kind: "kubeconfig", paths: [cluster.kubeconfigPath] }));
  await createNamespace(cluster, namespace);
  await createNamespace(cluster, portalNamespace);
  // The two production scale sets, as installed by hand.
  await helmInstall(cluster, "linux-mi300-1gpu-ossci-nod-ai", namespace, referenceValues("linux-mi300-1gpu-ossci-nod-ai.yaml"));
  await helmInstall(cluster, "linux-mi300-1gpu-ossci-rocm", namespace, referenceValues("linux-mi300-1gpu-ossci-rocm.yaml"));
  // One the portal applied itself (server-side apply under its field manager)...
  const portalValues = { ...referenceValues("linux-mi300-1gpu-ossci-rocm.yaml"), runnerScaleSetName: "portal-made" };
  const portalArs = manifestsFromValues(portalValues, { label: "portal-made", namespace: portalNamespace }, settings).at(-1)!;
  const applied = await kubeRequest(
    cluster,
    "PATCH",
    `${arsPath(portalNamespace, "portal-made")}?fieldManager=${FIELD_MANAGER}&force=true`,
    portalArs,
    "application/apply-patch+yaml",
  );
  expect(applied.status, JSON.stringify(applied.body)).toBe(201);
  // ...and one installed by helm that a request of the portal already covers.
  await helmInstall(cluster, "already-requested", portalNamespace, { ...referenceValues("linux-mi300-1gpu-ossci-rocm.yaml") });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe("listing the scale sets the portal does not manage", () => {
  it("finds the hand-installed ones across namespaces, not the portal's own nor the requested ones", async () => {
    const found = await listUnmanagedScaleSets(kube, [{ namespace: portalNamespace, label: "already-requested" }]);
    expect(found.map((s) => `${s.namespace}/${s.label}`)).toEqual([
      `${namespace}/linux-mi300-1gpu-ossci-nod-ai`,
      `${namespace}/linux-mi300-1gpu-ossci-rocm`,
    ]);
    expect(found[0]).toMatchObject({
      githubConfigUrl: "https://github.com/nod-ai",
      managers: ["helm"],
      helmRelease: "linux-mi300-1gpu-ossci-nod-ai",
    });
    expect(found[0]?.maxRunners).toBeUndefined();
  });
});

describe.each(["linux-mi300-1gpu-ossci-nod-ai", "linux-mi300-1gpu-ossci-rocm"])("importing %s from the cluster", (name) => {
  it("maps it onto the form's fields and an overlay that renders back to the live objects, changing nothing", async () => {
    const before = await liveArs(namespace, name);
    const imported = await importLiveScaleSet(kube, settings, { namespace, name }, OWNER);
    expect(imported.problems).toEqual([]);
    expect(imported.needsInput).toEqual([]);
    expect(imported.cannotApply).toEqual([]);
    expect(imported.controllerFrom).toBe("role-binding");
    expect(imported.spec).toMatchObject({ ...OWNER, label: name, namespace, memory: "75000Mi", cpu: "25000m", gpus: 1, docker: true });

    // The approved version is the live spec: rendering it gives the live AutoscalingRunnerSet's spec.
    const values = renderOverlaidValues(imported.spec!, settings, imported.advanced);
    expect(values).toStrictEqual(imported.values);
    const ars = manifestsFromValues(values, { label: name, namespace }, settings).at(-1)!;
    expect(JSON.parse(JSON.stringify(ars.spec))).toStrictEqual(before.spec);
    expect(imported.unrepresented.map((u) => u.path)).toContain("githubConfigSecret");

    const after = await liveArs(namespace, name);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.metadata.managedFields.map((m) => m.manager)).not.toContain(FIELD_MANAGER);
  });
});

describe("what the API server keeps of a values file", () => {
  it("prunes fields the pod template does not have (the nod-ai dind container's fsGroup)", async () => {
    const imported = await importLiveScaleSet(kube, settings, { namespace, name: "linux-mi300-1gpu-ossci-nod-ai" }, OWNER);
    const file = referenceValues("linux-mi300-1gpu-ossci-nod-ai.yaml");
    const dind = (v: ValuesData) =>
      (v.template as { spec: { initContainers: { name: string; securityContext?: object }[] } }).spec.initContainers.find(
        (c) => c.name === "dind",
      );
    expect(dind(file)?.securityContext).toEqual({ privileged: true, fsGroup: 1001 });
    expect(dind(imported.values)?.securityContext).toEqual({ privileged: true });
  });
});

describe("a scale set that is not there", () => {
  it("says so in words", async () => {
    await expect(importLiveScaleSet(kube, settings, { namespace, name: "nope" })).rejects.toBeInstanceOf(LiveScaleSetNotFound);
  });
});

/** Each object the chart made for `release` in `ns`: its path, for reads. */
function chartObjectPaths(ns: string, release: string) {
  const n = scaleSetObjectNames(release);
  return {
    ServiceAccount: `/api/v1/namespaces/${ns}/serviceaccounts/${n.noPermissionServiceAccount}`,
    Role: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles/${n.managerRole}`,
    RoleBinding: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/${n.managerRoleBinding}`,
    AutoscalingRunnerSet: arsPath(ns, release),
  };
}

type LiveMeta = {
  resourceVersion: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields: { manager: string; operation: string; subresource?: string }[];
};
async function liveObject(path: string) {
  const res = await kubeRequest(cluster, "GET", path);
  expect(res.status, path).toBe(200);
  return res.body as { metadata: LiveMeta; spec?: unknown; rules?: unknown; subjects?: unknown };
}

async function importedPeople() {
  const { registerCluster } = await import("@/lib/clusters/registry");
  const { db } = await import("@/lib/db");
  const s = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  const admin = await db.user.create({ data: { login: `admin-${s}`, role: "ADMIN" } });
  const reviewer = await db.user.create({ data: { login: `rev-${s}`, role: "REVIEWER" } });
  const team = await db.team.create({ data: { slug: `rocm-${s}`, name: `ROCm ${s}` } });
  const clusterId = (await registerCluster(admin, { name: `imported-${s}`, displayName: "imported", connection: "IN_CLUSTER" })).id;
  const reviewerActor = { id: reviewer.id, login: reviewer.login, name: null, role: "REVIEWER" as const, teamIds: [] };
  return { admin, reviewer: reviewerActor, team, clusterId };
}

describe("taking an imported scale set over from helm on its first re-apply", () => {
  it("forces exactly its own objects, records what it took from helm, leaves the neighbour alone, and is the portal's from then on", async () => {
    const { act } = await import("@/lib/requests/actions");
    const { createImportedRequest } = await import("@/lib/clusters/import-request");
    const { loadClusterSettings, saveClusterSettings } = await import("@/lib/clusters/cluster-settings");
    const { runProvisioning } = await import("@/lib/provision/run");
    const { desiredForRequest } = await import("@/lib/provision/desired");
    const { db } = await import("@/lib/db");
    const { admin, reviewer, team, clusterId } = await importedPeople();
    const name = "linux-mi300-1gpu-ossci-rocm";
    const neighbour = "linux-mi300-1gpu-ossci-nod-ai";
    const imported = await importLiveScaleSet(kube, await loadClusterSettings(clusterId), { namespace, name }, { team: team.name, contact: "@rocm-lead" });
    expect(imported.managers).toEqual(["helm"]);
    const request = await createImportedRequest(admin, {
      clusterId,
      teamId: team.id,
      spec: imported.spec!,
      advanced: imported.advanced,
      unrepresented: imported.unrepresented,
      source: "cluster",
      adoptFrom: imported.managers,
    });
    expect(request.adoptFrom).toBe("helm");
    const events = () => db.requestEvent.findMany({ where: { requestId: request.id }, orderBy: { createdAt: "asc" } });
    expect((await events())[0]?.message).toMatch(/Its objects still belong to helm; a reviewer's re-apply takes them over for the portal\.$/);
    const neighbourBefore = await Promise.all(Object.values(chartObjectPaths(namespace, neighbour)).map(liveObject));

    // A settings change alone changes nothing; the re-apply takes it and says so.
    const old = await loadClusterSettings(clusterId);
    await saveClusterSettings(admin, clusterId, { ...old, maxRunnersCeiling: old.maxRunnersCeiling + 5 }, 1);
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } })).appliedSettings).toMatchObject({ maxRunnersCeiling: old.maxRunnersCeiling });
    await act(reviewer, request.id, { action: "reapply" });
    const reapplied = await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(reapplied.status).toBe("APPROVED");
    expect(reapplied.appliedSettings).toMatchObject({ maxRunnersCeiling: old.maxRunnersCeiling + 5 });
    expect((await events()).at(-1)).toMatchObject({
      type: "reapply",
      message: "Re-applied with the cluster's current settings, which changed since the last apply: maxRunnersCeiling.",
    });

    const outcome = await runProvisioning(request.id, { retryCount: 0, retryLimit: 0 }, { kube, clusterId });
    const all = await events();
    const story = all.map((e) => `${e.type}: ${e.message}`).join("\n");
    expect(outcome, story).toBe("ready");
    const after = await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(after.status).toBe("READY");
    expect(after.adoptFrom).toBeNull();

    // The timeline says which fields were taken from which manager, object by object...
    const arsStep = all.find((e) => e.type === "provision_step" && e.message?.startsWith("AutoscalingRunnerSet"));
    expect(arsStep?.message, story).toMatch(/Taken over, as the reviewer asked: forced metadata\.annotations\.actions\.github\.com\/values-hash from helm.*; helm no longer owns any field; removed Helm's label app\.kubernetes\.io\/managed-by, label helm\.sh\/chart, annotation meta\.helm\.sh\/release-name, annotation meta\.helm\.sh\/release-namespace\.$/);
    const rbacStep = all.find((e) => e.type === "provision_step" && /^(ServiceAccount|Role) .* applied in/.test(e.message ?? ""));
    expect(rbacStep?.message, story).toMatch(/Taken over, as the reviewer asked: .*helm no longer owns any field/);
    // ...and what helm must not do any more.
    const provisioned = all.at(-1)!;
    expect(provisioned.type).toBe("provisioned");
    expect(provisioned.message).toContain("The portal took this scale set over from helm and manages it from now on.");
    expect(provisioned.message).toContain(`kubectl delete secret -n ${namespace} -l owner=helm,name=${name}`);
    expect(provisioned.message).toContain("Do not run `helm uninstall`, not even with --keep-history: it deletes the scale set's objects.");

    // Every object of the scale set is the portal's now, with the spec as the portal renders it.
    const desired = await desiredForRequest(after);
    const paths = chartObjectPaths(namespace, name);
    const rendered = [desired.serviceAccount, desired.role, desired.roleBinding, desired.autoscalingRunnerSet].filter((o) => o !== null);
    expect(rendered.length).toBeGreaterThanOrEqual(3);
    for (const obj of rendered) {
      const live = await liveObject(paths[obj.kind as keyof typeof paths]);
      const managers = live.metadata.managedFields.filter((m) => !m.subresource).map((m) => `${m.manager}/${m.operation}`);
      expect(managers, obj.kind).toContain(`${FIELD_MANAGER}/Apply`);
      expect(managers.filter((m) => m.startsWith("helm/")), obj.kind).toEqual([]);
      expect(live.metadata.labels?.["app.kubernetes.io/managed-by"], obj.kind).toBeUndefined();
      expect(live.metadata.annotations?.["meta.helm.sh/release-name"], obj.kind).toBeUndefined();
      const body = obj as unknown as Record<string, unknown>;
      for (const key of ["spec", "rules", "subjects"]) {
        if (body[key] !== undefined) expect((live as Record<string, unknown>)[key], `${obj.kind}.${key}`).toStrictEqual(JSON.parse(JSON.stringify(body[key])));
      }
      expect(live.metadata.annotations?.["actions.github.com/values-hash"]).toBe(obj.metadata.annotations?.["actions.github.com/values-hash"]);
    }
    // The pre-defined Secret was neither created nor written.
    const secret = await kubeRequest(cluster, "GET", `/api/v1/namespaces/${namespace}/secrets/pre-defined-rocm-secret`);
    expect(secret.status).toBe(404);
    // The neighbour scale set in the same namespace, another helm release, is untouched.
    const neighbourAfter = await Promise.all(Object.values(chartObjectPaths(namespace, neighbour)).map(liveObject));
    expect(neighbourAfter.map((o) => o.metadata.resourceVersion)).toEqual(neighbourBefore.map((o) => o.metadata.resourceVersion));
    expect(neighbourAfter[3]!.metadata.managedFields.map((m) => m.manager)).toEqual(["helm"]);

    // From now on the normal rules: someone runs `helm upgrade` anyway (an Update as helm)...
    const edited = await kubeRequest(cluster, "PATCH", `${paths.AutoscalingRunnerSet}?fieldManager=helm`, { metadata: { labels: { "helm.sh/chart": "gha-rs-0.14.2" } } }, "application/merge-patch+json");
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await act(reviewer, request.id, { action: "reapply" });
    expect(await runProvisioning(request.id, { retryCount: 0, retryLimit: 0 }, { kube, clusterId })).toBe("ready");
    // ...and a later re-apply takes nothing over: helm keeps the field it wrote, and no take-over is recorded.
    const again = await liveObject(paths.AutoscalingRunnerSet);
    expect(again.metadata.labels?.["helm.sh/chart"]).toBe("gha-rs-0.14.2");
    expect(again.metadata.managedFields.map((m) => m.manager)).toContain("helm");
    const later = (await events()).slice(all.length);
    expect(later.map((e) => e.message ?? "").join("\n")).not.toMatch(/Taken over|took this scale set over/);
  }, 90_000);

  it("never forces a request the portal did not import: its re-apply over helm's objects fails and changes nothing", async () => {
    const { act } = await import("@/lib/requests/actions");
    const { loadClusterSettings } = await import("@/lib/clusters/cluster-settings");
    const { runProvisioning } = await import("@/lib/provision/run");
    const { db } = await import("@/lib/db");
    const { reviewer, team, clusterId } = await importedPeople();
    const name = "already-requested";
    // A request the portal created itself (no take-over marker) for a label helm installed meanwhile.
    const imported = await importLiveScaleSet(kube, await loadClusterSettings(clusterId), { namespace: portalNamespace, name }, { team: team.name, contact: "@rocm-lead" });
    const spec = { ...imported.spec!, githubApp: { appId: null, installationId: null, keyFingerprint: null } };
    const request = await db.runnerRequest.create({
      data: {
        status: "READY",
        teamId: team.id,
        requesterId: reviewer.id,
        clusterId,
        label: name,
        namespace: portalNamespace,
        spec,
        approvedSpec: spec,
        approvedAt: new Date(),
        ...(imported.advanced ? { advanced: imported.advanced as object } : {}),
      },
    });
    expect(request.adoptFrom).toBeNull();
    const before = await Promise.all(Object.values(chartObjectPaths(portalNamespace, name)).map(liveObject));
    await act(reviewer, request.id, { action: "reapply" });
    const outcome = await runProvisioning(request.id, { retryCount: 0, retryLimit: 0 }, { kube, clusterId });
    const all = await db.requestEvent.findMany({ where: { requestId: request.id }, orderBy: { createdAt: "asc" } });
    expect(outcome, all.map((e) => `${e.type}: ${e.message}`).join("\n")).toBe("failed");
    expect(all.at(-1)?.message).toMatch(/AutoscalingRunnerSet .*values-hash \(owned by helm\).*will not take it over/);
    expect(all.some((e) => /Taken over/.test(e.message ?? ""))).toBe(false);
    const ars = await liveObject(arsPath(portalNamespace, name));
    expect(ars.metadata.resourceVersion).toBe(before[3]!.metadata.resourceVersion);
    expect(ars.metadata.labels?.["app.kubernetes.io/managed-by"]).toBe("Helm");
    expect(ars.metadata.managedFields.map((m) => m.manager)).toEqual(["helm"]);
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("FAILED");
  }, 60_000);
});
