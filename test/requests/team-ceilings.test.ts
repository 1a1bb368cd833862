// Per-team ceilings of a cluster and the GPU class a request picks, at submit and edit.
// Real PostgreSQL, through the route handler for the HTTP answers.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { defaultClusterSettings, type ClusterSettings } from "@/lib/arc/settings";
import type { Actor } from "@/lib/auth/actor";
import { settingsOf } from "@/lib/clusters/cluster-settings";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createRequest } from "@/lib/requests/create";
import { editRequest } from "@/lib/requests/edit";
import { teamCeilingLines, teamUsageOnCluster } from "@/lib/requests/team-ceilings";
import { makeActor, requestBody, snapshot } from "./fixtures";

const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ currentActor: async () => signedIn.actor }));

const settings: ClusterSettings = {
  ...defaultClusterSettings,
  teamMaxRunners: 10,
  teamMaxGpus: 8,
  gpuClasses: [
    { name: "mi300", description: "MI300X nodes", nodeSelector: { pool: "mi300" }, tolerations: [] },
    { name: "mi250", description: "MI250 nodes", nodeSelector: { pool: "mi250" }, tolerations: [] },
  ],
  defaultGpuClass: "mi300",
};

let cluster: { id: string; name: string };
let team: string;
let requester: Actor;

async function post(body: unknown, as: Actor) {
  signedIn.actor = as;
  const { POST } = await import("@/app/api/requests/route");
  return POST(
    new Request("http://portal.test/api/requests", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    { params: Promise.resolve({}) },
  );
}

/** A request of the team on the cluster that a reviewer approved and the portal provisioned. */
async function live(over: Record<string, unknown>, as = requester, teamName = team) {
  const { id } = await createRequest(as, requestBody({ team: teamName, preferredClusterId: cluster.id, ...over }), "draft");
  const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
  await db.runnerRequest.update({ where: { id }, data: { status: "READY", approvedSpec: row.spec as Prisma.InputJsonValue, approvedAt: new Date() } });
  return id;
}

beforeAll(async () => {
  cluster = await db.cluster.create({
    data: { name: `ceil-${randomBytes(4).toString("hex")}`, displayName: "", settings: settings as unknown as Prisma.InputJsonValue },
  });
  team = `team-ceil-${randomBytes(3).toString("hex")}`;
  requester = await makeActor({ team });
  // 4 runners × 1 GPU approved: 4 of the 8 GPUs and 4 of the 10 runners.
  await live({ maxRunners: 4, gpus: 1 });
});

describe("team usage on a cluster", () => {
  it("sums the team's approved scale sets there, not drafts, not other teams, not other clusters", async () => {
    const other = `team-other-${randomBytes(3).toString("hex")}`;
    const otherActor = await makeActor({ team: other });
    await live({ maxRunners: 9, gpus: 1 }, otherActor, other);
    await createRequest(requester, requestBody({ team, preferredClusterId: cluster.id, maxRunners: 9 }), "draft");
    const teamRow = await db.team.findUniqueOrThrow({ where: { slug: team } });
    expect(await teamUsageOnCluster(teamRow.id, cluster.id)).toEqual({ runners: 4, gpus: 4, scaleSets: 1 });
    expect(teamCeilingLines(settings, { runners: 4, gpus: 4, scaleSets: 1 }, { maxRunners: 3, gpus: 2 })).toEqual([
      { resource: "runners", used: 4, asked: 3, total: 7, ceiling: 10, over: false },
      { resource: "GPUs", used: 4, asked: 6, total: 10, ceiling: 8, over: true },
    ]);
    expect(teamCeilingLines(defaultClusterSettings, { runners: 400, gpus: 400, scaleSets: 1 }, { maxRunners: 3, gpus: 2 })).toEqual([]);
  });
});

describe("submitting over a team ceiling", () => {
  it("is a 422 naming the team's usage and the ceiling, and nothing is written", async () => {
    const before = await snapshot();
    const res = await post(requestBody({ team, preferredClusterId: cluster.id, maxRunners: 3, gpus: 2 }), requester);
    expect(res.status).toBe(422);
    const json = (await res.json()) as { error: string; fieldErrors: Record<string, string[]> };
    expect(json.error).toContain(`Team ${team} would use 10 of 8 GPUs on cluster ${cluster.name}: 4 in its approved scale sets there, 6 in this request.`);
    expect(json.fieldErrors.maxRunners).toEqual([`At most 4 more GPUs (maximum runners × GPUs per runner) for team ${team} on this cluster (team ceiling 8)`]);
    expect(await snapshot()).toEqual(before);
  });

  it("names the runner ceiling too when both are passed", async () => {
    const res = await post(requestBody({ team, preferredClusterId: cluster.id, maxRunners: 7, gpus: 1 }), requester);
    expect(res.status).toBe(422);
    const json = (await res.json()) as { error: string };
    expect(json.error).toContain("would use 11 of 10 runners");
    expect(json.error).toContain("would use 11 of 8 GPUs");
  });

  it("accepts a request that reaches the ceiling exactly, and a draft over it", async () => {
    const { status } = await createRequest(requester, requestBody({ team, preferredClusterId: cluster.id, maxRunners: 2, gpus: 2 }), "submit");
    expect(status).toBe("SUBMITTED");
    const draft = await createRequest(requester, requestBody({ team, preferredClusterId: cluster.id, maxRunners: 8, gpus: 8 }), "draft");
    expect(draft.status).toBe("DRAFT");
  });

  it("counts an edited live scale set once: its new size replaces its approved one", async () => {
    const other = `team-edit-${randomBytes(3).toString("hex")}`;
    const actor = await makeActor({ team: other });
    const id = await live({ maxRunners: 6, gpus: 1 }, actor, other);
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    const answers = { ...(row.spec as object), intent: "submit", version: row.version };
    // 8 × 1 GPU alone is the ceiling (its approved 6 are not counted on top).
    await expect(editRequest(actor, id, { ...answers, maxRunners: 8 })).resolves.toMatchObject({ status: "SUBMITTED" });
    const again = await live({ maxRunners: 2, gpus: 1 }, actor, other);
    const row2 = await db.runnerRequest.findUniqueOrThrow({ where: { id: again } });
    // The first one's approved 6 count now: 6 + 3 > 8.
    await expect(
      editRequest(actor, again, { ...(row2.spec as object), intent: "submit", version: row2.version, maxRunners: 3 }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringContaining("would use 9 of 8 GPUs") });
  });
});

describe("the GPU class of a request", () => {
  it("must be one of the cluster's classes; the chosen one is stored, none means the default", async () => {
    const res = await post(requestBody({ team, preferredClusterId: cluster.id, maxRunners: 1, gpuClass: "h100" }), requester);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors.gpuClass).toEqual([
      "GPU class must be one of this cluster's classes: mi300, mi250",
    ]);
    const { id } = await createRequest(requester, requestBody({ team, preferredClusterId: cluster.id, maxRunners: 1, gpuClass: "mi250" }), "draft");
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id } })).spec).toMatchObject({ gpuClass: "mi250" });
    const plain = await createRequest(requester, requestBody({ team, preferredClusterId: cluster.id, maxRunners: 1 }), "draft");
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id: plain.id } })).spec).not.toHaveProperty("gpuClass");
  });

  it("reads settings stored before classes (one gpuPlacement) as one class named default", async () => {
    const { gpuClasses: _c, defaultGpuClass: _d, teamMaxRunners: _r, teamMaxGpus: _g, ...rest } = defaultClusterSettings;
    const legacy = { ...rest, gpuPlacement: { nodeSelector: { santaclara: "yes" }, tolerations: [] } };
    const old = await db.cluster.create({ data: { name: `legacy-${randomBytes(4).toString("hex")}`, displayName: "", settings: legacy } });
    expect(settingsOf(old)).toMatchObject({ gpuClasses: [{ name: "default", nodeSelector: { santaclara: "yes" }, tolerations: [] }], defaultGpuClass: "default", teamMaxGpus: null });
    const { status } = await createRequest(requester, requestBody({ team, preferredClusterId: old.id, maxRunners: 20, gpus: 8 }), "submit");
    expect(status).toBe("SUBMITTED");
  });
});

describe("the reviewer's capacity panel", () => {
  it("says what the team would use of each ceiling on the cluster, and marks what is over", async () => {
    const { capacityCheck } = await import("@/lib/provision/capacity");
    const { id } = await createRequest(requester, requestBody({ team, preferredClusterId: cluster.id, maxRunners: 5, gpus: 1 }), "draft");
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id }, include: { team: true } });
    const report = await capacityCheck({ ...row, spec: row.spec as never }, { kube: null });
    expect(report.teamCeilings).toEqual({
      team,
      lines: [
        { resource: "runners", used: 4, asked: 5, total: 9, ceiling: 10, over: false },
        { resource: "GPUs", used: 4, asked: 5, total: 9, ceiling: 8, over: true },
      ],
    });
  });
});
