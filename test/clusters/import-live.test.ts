// Import of scale sets that were installed by hand (helm, from the production values files)
// on a real kube-apiserver v1.20 with the real ARC CRDs: they are listed, the portal's own
// are not, an import maps each onto the form's fields plus an overlay that renders back to
// the very objects in the cluster, and nothing in the cluster changes.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestsFromValues } from "@/lib/arc/manifests-from-values";
import { renderOverlaidValues } from "@/lib/arc/overlaid-values";
import type { ValuesData } from "@/lib/arc/overlay";
import { defaultClusterSettings } from "@/lib/arc/settings";
import type { KubeObject } from "@/lib/arc/kube-types";
import {
  importLiveScaleSet,
  listUnmanagedScaleSets,
  LiveScaleSetNotFound,
  PORTAL_FIELD_MANAGER,
} from "@/lib/clusters/import-live";
import { createKube, type Kube } from "@/lib/kube/client";
import { loadKubeConfig } from "@/lib/kube/config";
import { arcReferenceDir, startKube, type KubeCluster } from "@/test/harness/kube";
import { arsPath, kubeRequest } from "@/test/harness/kube-request";

const REFERENCE_DIR = path.resolve(arcReferenceDir(), "../aks-githubarc-setup");
const reference = (file: string) => parse(readFileSync(path.join(REFERENCE_DIR, file), "utf8"), { version: "1.1" }) as ValuesData;
const OWNER = { team: "ROCm", contact: "@rocm-lead" };
const settings = defaultClusterSettings;

let cluster: KubeCluster;
let kube: Kube;
const namespace = `arc-runner-test-nfs-${Date.now().toString(36)}`;
const portalNamespace = `${namespace}-p`;

/** Where a namespaced object of this kind lives in the API. */
function objectsPath(obj: KubeObject): string {
  const { namespace: ns } = obj.metadata;
  switch (obj.kind) {
    case "ServiceAccount":
      return `/api/v1/namespaces/${ns}/serviceaccounts`;
    case "Role":
      return `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`;
    case "RoleBinding":
      return `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`;
    default:
      return `/apis/actions.github.com/v1alpha1/namespaces/${ns}/autoscalingrunnersets`;
  }
}

/** What `helm upgrade --install <release> -n <ns> -f <file>` leaves: the chart's objects, created by "helm". */
async function helmInstall(release: string, ns: string, values: ValuesData) {
  for (const obj of manifestsFromValues(values, { label: release, namespace: ns }, settings)) {
    obj.metadata.labels["app.kubernetes.io/managed-by"] = "Helm";
    obj.metadata.labels["helm.sh/chart"] = "gha-rs-0.14.2";
    obj.metadata.annotations = { ...obj.metadata.annotations, "meta.helm.sh/release-name": release, "meta.helm.sh/release-namespace": ns };
    const res = await kubeRequest(cluster, "POST", `${objectsPath(obj)}?fieldManager=helm`, obj);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

async function createNamespace(name: string) {
  const res = await kubeRequest(cluster, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  expect(res.status).toBe(201);
}

async function liveArs(ns: string, name: string) {
  const res = await kubeRequest(cluster, "GET", arsPath(ns, name));
  expect(res.status).toBe(200);
  return res.body as { metadata: { resourceVersion: string; managedFields: { manager: string }[] }; spec: Record<string, unknown> };
}

beforeAll(async () => {
  cluster = await startKube();
  kube = createKube(loadKubeConfig({ kind: "kubeconfig", paths: [cluster.kubeconfigPath] }));
  await createNamespace(namespace);
  await createNamespace(portalNamespace);
  // The two production scale sets, as installed by hand.
  await helmInstall("linux-mi300-1gpu-ossci-nod-ai", namespace, reference("linux-mi300-1gpu-ossci-nod-ai.yaml"));
  await helmInstall("linux-mi300-1gpu-ossci-rocm", namespace, reference("linux-mi300-1gpu-ossci-rocm.yaml"));
  // One the portal applied itself (server-side apply under its field manager)...
  const portalValues = { ...reference("linux-mi300-1gpu-ossci-rocm.yaml"), runnerScaleSetName: "portal-made" };
  const portalArs = manifestsFromValues(portalValues, { label: "portal-made", namespace: portalNamespace }, settings).at(-1)!;
  const applied = await kubeRequest(
    cluster,
    "PATCH",
    `${arsPath(portalNamespace, "portal-made")}?fieldManager=${PORTAL_FIELD_MANAGER}&force=true`,
    portalArs,
    "application/apply-patch+yaml",
  );
  expect(applied.status, JSON.stringify(applied.body)).toBe(201);
  // ...and one installed by helm that a request of the portal already covers.
  await helmInstall("already-requested", portalNamespace, { ...reference("linux-mi300-1gpu-ossci-rocm.yaml") });
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
    expect(after.metadata.managedFields.map((m) => m.manager)).not.toContain(PORTAL_FIELD_MANAGER);
  });
});

describe("what the API server keeps of a values file", () => {
  it("prunes fields the pod template does not have (the nod-ai dind container's fsGroup)", async () => {
    const imported = await importLiveScaleSet(kube, settings, { namespace, name: "linux-mi300-1gpu-ossci-nod-ai" }, OWNER);
    const file = reference("linux-mi300-1gpu-ossci-nod-ai.yaml");
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

describe("re-applying an imported scale set after a settings change", () => {
  it("records the cluster's current settings on the timeline and never writes its pre-defined Secret", async () => {
    const { act } = await import("@/lib/requests/actions");
    const { createImportedRequest } = await import("@/lib/clusters/import-request");
    const { registerCluster } = await import("@/lib/clusters/registry");
    const { loadClusterSettings, saveClusterSettings } = await import("@/lib/clusters/cluster-settings");
    const { runProvisioning } = await import("@/lib/provision/run");
    const { db } = await import("@/lib/db");
    const s = Date.now().toString(36);
    const admin = await db.user.create({ data: { login: `admin-${s}`, role: "ADMIN" } });
    const reviewer = await db.user.create({ data: { login: `rev-${s}`, role: "REVIEWER" } });
    const team = await db.team.create({ data: { slug: `rocm-${s}`, name: `ROCm ${s}` } });
    const clusterId = (await registerCluster(admin, { name: `imported-${s}`, displayName: "imported", connection: "IN_CLUSTER" })).id;
    const name = "linux-mi300-1gpu-ossci-rocm";
    const imported = await importLiveScaleSet(kube, await loadClusterSettings(clusterId), { namespace, name }, { team: team.name, contact: "@rocm-lead" });
    const request = await createImportedRequest(admin, {
      clusterId,
      teamId: team.id,
      spec: imported.spec!,
      advanced: imported.advanced,
      unrepresented: imported.unrepresented,
      source: "cluster",
    });
    const before = await liveArs(namespace, name);

    // A settings change alone changes nothing; the re-apply takes it and says so.
    const old = await loadClusterSettings(clusterId);
    await saveClusterSettings(admin, clusterId, { ...old, maxRunnersCeiling: old.maxRunnersCeiling + 5 }, 1);
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } })).appliedSettings).toMatchObject({ maxRunnersCeiling: old.maxRunnersCeiling });
    await act({ id: reviewer.id, login: reviewer.login, name: null, role: "REVIEWER", teamIds: [] }, request.id, { action: "reapply" });
    const reapplied = await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(reapplied.status).toBe("APPROVED");
    expect(reapplied.appliedSettings).toMatchObject({ maxRunnersCeiling: old.maxRunnersCeiling + 5 });
    const events = () => db.requestEvent.findMany({ where: { requestId: request.id }, orderBy: { createdAt: "asc" } });
    expect((await events()).at(-1)).toMatchObject({
      type: "reapply",
      message: "Re-applied with the cluster's current settings, which changed since the last apply: maxRunnersCeiling.",
    });

    // KNOWN GAP, kept visible on purpose: the portal renders the values-hash annotation from the
    // imported values, which are not byte-identical to the file helm hashed (the API server pruned
    // fields), so the first re-apply of a helm-installed scale set conflicts with helm's ownership
    // of that annotation, and the portal never takes over objects it did not apply. Adopting an
    // imported scale set on its first re-apply is a decision still to take.
    const outcome = await runProvisioning(request.id, { retryCount: 0, retryLimit: 0 }, { kube, clusterId });
    const all = await events();
    expect(outcome, all.map((e) => `${e.type}: ${e.message}`).join("\n")).toBe("failed");
    expect(all.at(-1)?.message).toMatch(/AutoscalingRunnerSet .*values-hash \(owned by helm\)/);
    // The Secret step ran and left the pre-defined Secret alone; the RBAC objects were applied as they are.
    const secretStep = all.find((e) => e.type === "provision_step" && e.message?.startsWith("Secret"));
    expect(secretStep?.message).toMatch(/pre-defined-rocm-secret does not exist, and the portal does not create it/);
    const secret = await kubeRequest(cluster, "GET", `/api/v1/namespaces/${namespace}/secrets/pre-defined-rocm-secret`);
    expect(secret.status).toBe(404);
    expect(all.some((e) => e.type === "provision_step" && /^ServiceAccount .* applied in/.test(e.message ?? ""))).toBe(true);
    // The AutoscalingRunnerSet is untouched.
    const after = await liveArs(namespace, name);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  }, 60_000);
});
