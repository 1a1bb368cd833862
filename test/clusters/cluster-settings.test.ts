// Clusters and their settings in the database: registration seals the kubeconfig, every
// settings change is audited (append-only), concurrent edits do not overwrite each other,
// and a preview shows which live scale sets a change would touch while changing nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { defaultClusterSettings, type ClusterSettings } from "@/lib/arc/settings";
import { saveClusterSettings, loadClusterSettings, clusterSettingsHistory } from "@/lib/clusters/cluster-settings";
import { kubeForCluster } from "@/lib/clusters/connection";
import { listClusters, registerCluster } from "@/lib/clusters/registry";
import { previewSettingsChange } from "@/lib/clusters/settings-preview";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { HttpError } from "@/lib/http-errors";
import { tokenKubeconfig } from "@/test/harness/kubeconfig-text";
import { approvedRequest, people, suffix, testSpec, type People } from "@/test/provision/fixtures";

const KUBECONFIG = tokenKubeconfig("https://mi300.example.internal:6443", "very-secret-token");

let p: People;
let admin: { id: string };

beforeAll(async () => {
  p = await people();
  admin = await db.user.create({ data: { login: `admin-${suffix()}`, role: "ADMIN" } });
});

async function httpError(promise: Promise<unknown>): Promise<HttpError> {
  const err = await promise.then(
    () => expect.fail("expected an error"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe("registering a cluster", () => {
  it("seals the kubeconfig, never lists it, and connects with it", async () => {
    const name = `mi300-${suffix()}`;
    const cluster = await registerCluster(admin, { name, displayName: "MI300 Santa Clara", connection: "KUBECONFIG", kubeconfig: KUBECONFIG });
    const row = await db.cluster.findUniqueOrThrow({ where: { id: cluster.id } });
    expect(row.kubeconfigCiphertext).toBeTruthy();
    expect(row.kubeconfigCiphertext).not.toContain("very-secret-token");
    expect(JSON.stringify(await listClusters())).not.toContain(row.kubeconfigCiphertext!);
    expect(kubeForCluster(row)?.server).toBe("https://mi300.example.internal:6443");
    // Starts from the environment's settings, recorded as the first audited value.
    expect(await loadClusterSettings(cluster.id)).toEqual(defaultClusterSettings);
    expect((await clusterSettingsHistory(cluster.id)).map((e) => e.before)).toEqual([null]);
  });

  it("refuses a bad name, a broken kubeconfig and a taken name, in words", async () => {
    const bad = await httpError(registerCluster(admin, { name: "MI300!", displayName: "", connection: "KUBECONFIG", kubeconfig: "clusters: [" }));
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["displayName", "kubeconfig", "name"]);
    const noContext = await httpError(
      registerCluster(admin, { name: `x-${suffix()}`, displayName: "X", connection: "KUBECONFIG", kubeconfig: KUBECONFIG.replace(/current-context.*/, "") }),
    );
    expect(noContext.fieldErrors?.kubeconfig?.[0]).toMatch(/current-context/);
    const name = `dup-${suffix()}`;
    await registerCluster(admin, { name, displayName: "Dup", connection: "IN_CLUSTER" });
    expect((await httpError(registerCluster(admin, { name, displayName: "Dup", connection: "IN_CLUSTER" }))).status).toBe(409);
  });
});

describe("changing a cluster's settings", () => {
  it("records before and after, refuses a stale form, and keeps the audit append-only", async () => {
    const cluster = await registerCluster(admin, { name: `aks-${suffix()}`, displayName: "AKS", connection: "IN_CLUSTER" });
    const next: ClusterSettings = { ...defaultClusterSettings, dindImage: "docker:27-dind" };
    const saved = await saveClusterSettings(admin, cluster.id, next, 1);
    expect(saved).toMatchObject({ version: 2, changed: true });
    const [latest] = await clusterSettingsHistory(cluster.id);
    expect(latest).toMatchObject({ before: defaultClusterSettings, after: next, actorId: admin.id });

    expect((await httpError(saveClusterSettings(admin, cluster.id, defaultClusterSettings, 1))).status).toBe(409);
    const invalid = await httpError(saveClusterSettings(admin, cluster.id, { ...next, gpuResourceName: "gpu" }, 2));
    expect(invalid.status).toBe(422);
    expect(invalid.fieldErrors?.gpuResourceName?.[0]).toMatch(/amd\.com\/gpu/);

    await expect(db.clusterSettingsEvent.updateMany({ where: { clusterId: cluster.id }, data: { after: {} } })).rejects.toThrow(/append-only/);
    await expect(db.clusterSettingsEvent.deleteMany({ where: { clusterId: cluster.id } })).rejects.toThrow(/append-only/);
  });

  it("previews the change for each live scale set and changes nothing until a reviewer re-applies", async () => {
    const cluster = await registerCluster(admin, { name: `prev-${suffix()}`, displayName: "Preview", connection: "IN_CLUSTER" });
    const gpu = testSpec(`gpu-${suffix()}`, `ns-${suffix()}`, { docker: true, gpus: 1 });
    const cpuOnly = testSpec(`cpu-${suffix()}`, `ns-${suffix()}`, { docker: false, gpus: 0 });
    const { request: gpuRequest } = await approvedRequest(p, cluster.id, gpu, { status: "READY" });
    await approvedRequest(p, cluster.id, cpuOnly, { status: "READY" });
    await db.runnerRequest.update({
      where: { id: gpuRequest.id },
      data: { appliedSettings: defaultClusterSettings as unknown as Prisma.InputJsonValue },
    });
    const before = await db.runnerRequest.findMany({ where: { clusterId: cluster.id }, orderBy: { number: "asc" } });

    // GPU placement reaches only the GPU scale set; the dind image only docker ones.
    const next: ClusterSettings = {
      ...defaultClusterSettings,
      dindImage: "docker:27-dind",
      gpuClasses: [{ name: "default", nodeSelector: { santaclara: "yes" }, tolerations: [] }],
    };
    const preview = await previewSettingsChange(cluster.id, next);
    expect(preview.map((s) => s.label)).toEqual([gpu.label]);
    const ars = preview[0]!.objects.find((o) => o.object.startsWith("AutoscalingRunnerSet"))!;
    expect(ars.changes.map((c) => c.path).sort()).toEqual([
      // The chart's hash of the values: the controller restarts the listener when it changes.
      "metadata.annotations.actions.github.com/values-hash",
      "spec.template.spec.initContainers[dind].image",
      "spec.template.spec.nodeSelector",
    ]);

    await saveClusterSettings(admin, cluster.id, next, 1);
    const after = await db.runnerRequest.findMany({ where: { clusterId: cluster.id }, orderBy: { number: "asc" } });
    expect(after).toEqual(before);
    // Saved, the same change is still pending for the scale set applied with the old settings.
    expect((await previewSettingsChange(cluster.id, next)).map((s) => s.label)).toEqual([gpu.label]);
  });
});
