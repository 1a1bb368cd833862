// An imported scale set as a READY request: the file's spec approved as it is, the overlay
// kept, the label claimed on its cluster, and rendering the stored row gives the file back.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { importValuesFile } from "@/lib/arc/import-values";
import type { OverlayObject } from "@/lib/arc/overlay";
import { renderScaleSetObjects } from "@/lib/arc/scale-set-objects";
import { loadClusterSettings } from "@/lib/clusters/cluster-settings";
import { createImportedRequest } from "@/lib/clusters/import-request";
import { registerCluster } from "@/lib/clusters/registry";
import { db } from "@/lib/db";
import { HttpError } from "@/lib/http-errors";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import { arcReferenceDir } from "@/test/harness/kube";
import { suffix } from "@/test/provision/fixtures";

const FILE = path.resolve(arcReferenceDir(), "../aks-githubarc-setup/linux-mi300-1gpu-ossci-nod-ai.yaml");

let admin: { id: string };
let team: { id: string; name: string };
let clusterId: string;

beforeAll(async () => {
  admin = await db.user.create({ data: { login: `admin-${suffix()}`, role: "ADMIN" } });
  team = await db.team.create({ data: { slug: `nod-${suffix()}`, name: "nod-ai (SHARK)" } });
  clusterId = (await registerCluster(admin, { name: `aks-${suffix()}`, displayName: "AKS", connection: "IN_CLUSTER" })).id;
});

describe("importing a values file as a request", () => {
  it("creates a READY request whose stored approved spec and overlay render the file again", async () => {
    const text = readFileSync(FILE, "utf8");
    const settings = await loadClusterSettings(clusterId);
    const imported = importValuesFile(text, settings, { team: team.name, contact: "@shark-lead" });
    const request = await createImportedRequest(admin, {
      clusterId,
      teamId: team.id,
      spec: imported.spec!,
      advanced: imported.advanced,
      unrepresented: imported.unrepresented,
      source: "values-file",
    });
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id }, include: { labelClaim: true, events: true } });
    expect(row).toMatchObject({ status: "READY", teamId: team.id, label: "linux-mi300-1gpu-ossci-nod-ai", namespace: "arc-runner-test-nfs" });
    expect(row.labelClaim?.clusterId).toBe(clusterId);
    expect(row.privateKeyCiphertext).toBeNull();
    expect(row.events.map((e) => e.type)).toEqual(["import"]);
    expect(row.events[0]?.message).toMatch(/kept in the advanced overlay/);
    // A values file is helm's input: the scale set is helm's until a reviewer's re-apply takes it over.
    expect(row.adoptFrom).toBe("helm");

    const { githubApp: _none, ...spec } = row.approvedSpec as unknown as StoredSpec;
    const rendered = renderScaleSetObjects(spec, settings, row.advanced as OverlayObject);
    expect(rendered.values).toStrictEqual(parse(text, { version: "1.1" }));
    expect(rendered).toMatchObject({ secretName: "pre-defined-secret", predefinedSecret: true });
  });

  it("refuses a label another request holds on the cluster, and a team that is not the owner", async () => {
    const text = readFileSync(FILE, "utf8");
    const settings = await loadClusterSettings(clusterId);
    const imported = importValuesFile(text, settings, { team: team.name, contact: "@shark-lead" });
    const again = { clusterId, teamId: team.id, spec: imported.spec!, advanced: imported.advanced, unrepresented: [], source: "values-file" as const };
    const taken = await createImportedRequest(admin, again).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(HttpError);
    expect((taken as HttpError).status).toBe(409);
    expect((taken as HttpError).message).toMatch(/already holds the label/);
    const other = await db.team.create({ data: { slug: `o-${suffix()}`, name: "Other" } });
    const wrongTeam = await createImportedRequest(admin, { ...again, teamId: other.id }).catch((e: unknown) => e);
    expect((wrongTeam as HttpError).status).toBe(422);
  });
});
