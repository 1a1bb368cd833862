// An admin cannot remove (or rename) a GPU class that requests on the cluster use. Real PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import { defaultClusterSettings, type ClusterSettings } from "@/lib/arc/settings";
import { previewSettings, saveSettings } from "@/lib/clusters/settings-admin";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { HttpError } from "@/lib/http-errors";
import { approvedRequest, people, suffix, testSpec, type People } from "@/test/provision/fixtures";

const twoClasses: ClusterSettings = {
  ...defaultClusterSettings,
  gpuClasses: [
    { name: "mi300", nodeSelector: { pool: "mi300" }, tolerations: [] },
    { name: "mi250", nodeSelector: { pool: "mi250" }, tolerations: [] },
  ],
  defaultGpuClass: "mi300",
};

let p: People;
let admin: { id: string };

beforeAll(async () => {
  p = await people();
  admin = await db.user.create({ data: { login: `admin-${suffix()}`, role: "ADMIN" } });
});

describe("removing a GPU class", () => {
  it("is refused with a 422 naming the requests that use it, and nothing is saved", async () => {
    const cluster = await db.cluster.create({ data: { name: `classes-${suffix()}`, displayName: "", settings: twoClasses as unknown as Prisma.InputJsonValue } });
    const s = suffix();
    const { request: live } = await approvedRequest(p, cluster.id, testSpec(`l-${s}`, `ns-${s}`, { gpuClass: "mi250" }), { status: "READY" });
    const withoutMi250 = { ...twoClasses, gpuClasses: [twoClasses.gpuClasses[0]!] };
    for (const call of [
      () => previewSettings(cluster.id, { settings: withoutMi250 }),
      () => saveSettings(admin, cluster.id, { settings: withoutMi250, version: 1 }),
    ]) {
      const err = await call().then(
        () => expect.fail("expected a refusal"),
        (e: unknown) => e as HttpError,
      );
      expect(err).toBeInstanceOf(HttpError);
      expect(err.status).toBe(422);
      expect(err.fieldErrors?.gpuClasses).toEqual([`GPU class "mi250" is used by request #${live.number} l-${s}; keep it until they move to another class`]);
    }
    expect((await db.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).settingsVersion).toBe(1);
    expect(await db.clusterSettingsEvent.count({ where: { clusterId: cluster.id } })).toBe(0);

    // Once the request is gone from the cluster (decommissioned), the class may go.
    await db.runnerRequest.update({ where: { id: live.id }, data: { status: "DECOMMISSIONED" } });
    await expect(saveSettings(admin, cluster.id, { settings: withoutMi250, version: 1 })).resolves.toMatchObject({ changed: true, version: 2 });
  });
});
