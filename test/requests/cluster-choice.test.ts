// Which cluster a request runs on: the requester's preference (stored, checked), and the
// reviewer's decision at approval (the label claim moves with it, atomically). Real PostgreSQL,
// through the route handlers for the HTTP answers.
import { randomBytes } from "node:crypto";
import { defaultClusterSettings, type ClusterSettings } from "@/lib/arc/settings";
import type { Prisma } from "@/lib/generated/prisma/client";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { defaultCluster } from "@/lib/clusters/default-cluster";
import { db } from "@/lib/db";
import { act } from "@/lib/requests/actions";
import { createRequest } from "@/lib/requests/create";
import { editRequest } from "@/lib/requests/edit";
import { makeActor, requestBody, snapshot } from "./fixtures";

const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ currentActor: async () => signedIn.actor }));

let home: { id: string; name: string };
let second: { id: string; name: string; displayName: string };
let third: { id: string; name: string };
let reviewer: Actor;

const cluster = (prefix: string, displayName = prefix, settings?: Partial<ClusterSettings>) =>
  db.cluster.create({
    data: {
      name: `${prefix}-${randomBytes(4).toString("hex")}`,
      displayName,
      ...(settings ? { settings: { ...defaultClusterSettings, ...settings } as unknown as Prisma.InputJsonValue } : {}),
    },
  });

async function post(url: string, body: unknown, as: Actor) {
  signedIn.actor = as;
  const json = (b: unknown) => new Request(`http://portal.test${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(b) });
  const m = /^\/api\/requests\/([^/]+)\/actions$/.exec(url);
  if (m) {
    const { POST } = await import("@/app/api/requests/[id]/actions/route");
    return POST(json(body), { params: Promise.resolve({ id: m[1]! }) });
  }
  const { POST } = await import("@/app/api/requests/route");
  return POST(json(body), { params: Promise.resolve({}) });
}

async function submitted(over: Record<string, unknown> = {}) {
  const requester = await makeActor({ team: "team-cc" });
  const body = requestBody({ team: "team-cc", ...over });
  const { id } = await createRequest(requester, body, "submit");
  return { requester, body, id };
}

beforeAll(async () => {
  home = await defaultCluster();
  second = await cluster("mi300", "MI300 on premises");
  third = await cluster("mi250");
  reviewer = await makeActor({ role: "REVIEWER" });
});

describe("the requester's preference", () => {
  it("is stored, and the request targets (and claims its label on) the preferred cluster until review", async () => {
    const { id, body } = await submitted({ preferredClusterId: second.id });
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id }, include: { labelClaim: true } });
    expect(row).toMatchObject({ preferredClusterId: second.id, clusterId: second.id });
    expect(row.labelClaim).toMatchObject({ clusterId: second.id, label: body.label });
    // The preference is not one of the answers.
    expect(row.spec).not.toHaveProperty("preferredClusterId");
  });

  it("no preference (null or empty) targets the default cluster", async () => {
    for (const preferredClusterId of [null, ""]) {
      const { id } = await submitted({ preferredClusterId });
      expect(await db.runnerRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ preferredClusterId: null, clusterId: home.id });
    }
  });

  it("an unknown or malformed cluster id is a 400 naming the field, and nothing is written", async () => {
    const requester = await makeActor({ team: "team-cc" });
    for (const preferredClusterId of ["c_not_registered", "../etc", 42, "x".repeat(80)]) {
      const before = await snapshot();
      const res = await post("/api/requests", requestBody({ team: "team-cc", preferredClusterId }), requester);
      expect(res.status, JSON.stringify(preferredClusterId)).toBe(400);
      const json = (await res.json()) as { error: string; fieldErrors: Record<string, string[]> };
      expect(json.fieldErrors.preferredClusterId?.[0]).toMatch(/not registered|registered cluster/);
      expect(JSON.stringify(json)).not.toMatch(/at .*\.ts|stack/);
      expect(await snapshot()).toEqual(before);
    }
  });

  it("a draft's preference can change; the edit moves the target and is on the timeline", async () => {
    const requester = await makeActor({ team: "team-cc" });
    const { id } = await createRequest(requester, requestBody({ team: "team-cc" }), "draft");
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    await editRequest(requester, id, { ...(row.spec as object), githubApp: undefined, preferredClusterId: third.id, intent: "save", version: row.version });
    const after = await db.runnerRequest.findUniqueOrThrow({ where: { id }, include: { events: true } });
    expect(after).toMatchObject({ preferredClusterId: third.id, clusterId: third.id });
    expect(after.events.find((e) => e.type === "edited")?.changes).toMatchObject({ preferredCluster: { before: "no preference", after: `mi250 (${third.name})` } });
  });
});

describe("the reviewer's decision", () => {
  it("approves onto another cluster: the claim moves, the timeline says which and why, the preference is kept", async () => {
    const { id, body } = await submitted({ preferredClusterId: second.id });
    const res = await post(`/api/requests/${id}/actions`, { action: "approve", clusterId: third.id }, reviewer);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { request: { cluster: { id: string } } }).request.cluster.id).toBe(third.id);
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id }, include: { labelClaim: true, events: true } });
    expect(row).toMatchObject({ status: "APPROVED", clusterId: third.id, preferredClusterId: second.id });
    expect(row.labelClaim).toMatchObject({ clusterId: third.id, label: body.label });
    expect(await db.labelClaim.count({ where: { requestId: id } })).toBe(1);
    const approve = row.events.find((e) => e.type === "approve")!;
    expect(approve.changes).toMatchObject({ cluster: { before: `MI300 on premises (${second.name})`, after: `mi250 (${third.name})` } });
    expect(approve.message).toMatch(new RegExp(`Approved onto cluster mi250 \\(${third.name}\\); the requester preferred MI300 on premises`));
  });

  it("approving onto the preferred cluster records the choice without a move", async () => {
    const { id } = await submitted({ preferredClusterId: second.id });
    await act(reviewer, id, { action: "approve", clusterId: second.id });
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id }, include: { events: true } });
    expect(row.clusterId).toBe(second.id);
    const approve = row.events.find((e) => e.type === "approve")!;
    expect(approve.message).toMatch(/Approved onto cluster MI300 on premises .*\(the requester's preference\)/);
    expect(approve.changes).toBeNull();
  });

  it("the label is unique per cluster: approving onto a cluster where it is taken is a 409 and changes nothing", async () => {
    // Same label on two clusters is fine; moving one onto the other's cluster is not.
    const label = `gpu-shared-${randomBytes(3).toString("hex")}`;
    const holder = await submitted({ label, preferredClusterId: third.id });
    const { id } = await submitted({ label, preferredClusterId: second.id });
    const before = await snapshot();
    const res = await post(`/api/requests/${id}/actions`, { action: "approve", clusterId: third.id }, reviewer);
    expect(res.status).toBe(409);
    const json = (await res.json()) as { error: string; fieldErrors?: Record<string, string[]> };
    expect(json.error).toMatch(new RegExp(`"${label}" is already used on cluster mi250 \\(${third.name}\\)`));
    expect(json.fieldErrors?.clusterId?.[0]).toMatch(/taken/);
    expect(await snapshot()).toEqual(before);
    // And the holder's claim is where it was.
    expect(await db.labelClaim.findUnique({ where: { requestId: holder.id } })).toMatchObject({ clusterId: third.id, label });
  });

  it("an unknown or malformed cluster id is a 400 and nothing changes", async () => {
    const { id } = await submitted();
    for (const clusterId of ["c_unknown_cluster", "; drop", 7]) {
      const before = await snapshot();
      const res = await post(`/api/requests/${id}/actions`, { action: "approve", clusterId }, reviewer);
      expect(res.status, JSON.stringify(clusterId)).toBe(400);
      expect(((await res.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors.clusterId?.[0]).toMatch(/not registered|registered cluster/);
      expect(await snapshot()).toEqual(before);
    }
  });

  it("a cluster goes with an approval only, and only a new request can move", async () => {
    const { id } = await submitted();
    await expect(act(reviewer, id, { action: "request_changes", reason: "more", clusterId: second.id })).rejects.toMatchObject({ status: 422 });
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id } })).status).toBe("SUBMITTED");

    // A live scale set (READY) asks for a change: it stays on its cluster.
    await act(reviewer, id, { action: "approve" });
    await db.runnerRequest.update({ where: { id }, data: { status: "READY" } });
    const team = await db.runnerRequest.findUniqueOrThrow({ where: { id }, include: { team: { include: { members: true } } } });
    const member = await db.user.findUniqueOrThrow({ where: { id: team.team.members[0]!.userId } });
    const requester: Actor = { id: member.id, login: member.login, name: null, role: member.role, teamIds: [team.teamId] };
    await expect(
      editRequest(requester, id, { ...(team.spec as object), githubApp: { appId: "1", installationId: "2" }, preferredClusterId: second.id }),
    ).rejects.toMatchObject({ status: 422, fieldErrors: { preferredClusterId: [expect.stringMatching(/fixed once provisioned/)] } });
    await db.runnerRequest.update({ where: { id }, data: { status: "SUBMITTED", reviewKind: "CHANGE" } });
    const before = await snapshot();
    await expect(act(reviewer, id, { action: "approve", clusterId: second.id })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { clusterId: [expect.stringMatching(/fixed once provisioned/)] },
    });
    expect(await snapshot()).toEqual(before);
  });

  describe("onto another cluster, the request must fit that cluster", () => {
    const classes: Partial<ClusterSettings> = {
      gpuClasses: [
        { name: "mi300", description: "", nodeSelector: { pool: "mi300" }, tolerations: [] },
        { name: "mi250", description: "", nodeSelector: { pool: "mi250" }, tolerations: [] },
      ],
      defaultGpuClass: "mi300",
    };

    async function refused(id: string, clusterId: string) {
      const before = await snapshot();
      const res = await post(`/api/requests/${id}/actions`, { action: "approve", clusterId }, reviewer);
      const json = (await res.json()) as { error: string; fieldErrors?: Record<string, string[]> };
      expect(JSON.stringify(json)).not.toMatch(/at .*\.ts|stack/);
      expect(await snapshot()).toEqual(before);
      return { status: res.status, ...json };
    }

    it("a GPU class the target cluster lacks is a 422 naming the class and the way out, and nothing changes", async () => {
      const withClasses = await cluster("classes", "Two kinds", classes);
      const onlyDefault = await cluster("plain", "One kind");
      const { id } = await submitted({ preferredClusterId: withClasses.id, gpuClass: "mi250" });
      const res = await refused(id, onlyDefault.id);
      expect(res.status).toBe(422);
      expect(res.error).toContain(`GPU class mi250 does not exist on cluster One kind (${onlyDefault.name})`);
      expect(res.error).toMatch(/Ask the team to change the request, or pick a cluster that fits it/);
      expect(res.fieldErrors?.gpuClass?.[0]).toMatch(/one of this cluster's classes/);
      expect(res.fieldErrors?.clusterId?.[0]).toMatch(/GPU class mi250/);
      // The reviewer's side-by-side comparison says so before the reviewer picks it.
      const { capacityOnCluster } = await import("@/lib/provision/capacity");
      const row = await db.runnerRequest.findUniqueOrThrow({ where: { id }, include: { team: true } });
      const input = { ...row, spec: row.spec as never };
      expect((await capacityOnCluster(input, onlyDefault.id, { kube: null })).notEligible).toEqual(["GPU class mi250 does not exist on this cluster."]);
      expect((await capacityOnCluster(input, withClasses.id, { kube: null })).notEligible).toEqual([]);
      // A cluster that has the class takes it.
      const alsoClasses = await cluster("classes2", "Also two kinds", classes);
      await act(reviewer, id, { action: "approve", clusterId: alsoClasses.id });
      expect(await db.runnerRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ clusterId: alsoClasses.id, spec: { gpuClass: "mi250" } });
    });

    it("the target's per-request ceilings apply: too many runners or GPUs per runner is a 422, nothing changes", async () => {
      const small = await cluster("small", "Small", { maxRunnersCeiling: 2, maxGpusPerRunner: 1 });
      const { id } = await submitted({ maxRunners: 4, gpus: 2 });
      const res = await refused(id, small.id);
      expect(res.status).toBe(422);
      expect(res.error).toMatch(/Maximum runners must be at most 2 .* on cluster Small/);
      expect(res.error).toMatch(/GPUs per runner must be at most 1 .* on cluster Small/);
      expect(Object.keys(res.fieldErrors ?? {})).toEqual(expect.arrayContaining(["maxRunners", "gpus", "clusterId"]));
    });

    it("the target's team ceilings count the team's approved scale sets there", async () => {
      const team = `team-tc-${randomBytes(3).toString("hex")}`;
      const requester = await makeActor({ team });
      const tight = await cluster("tight", "Tight", { teamMaxGpus: 4 });
      // The team already holds 3 GPUs there (3 runners × 1 GPU).
      const first = await createRequest(requester, requestBody({ team, preferredClusterId: tight.id, maxRunners: 3, gpus: 1 }), "submit");
      await act(reviewer, first.id, { action: "approve" });
      const second = await createRequest(requester, requestBody({ team, maxRunners: 2, gpus: 1 }), "submit");
      const res = await refused(second.id, tight.id);
      expect(res.status).toBe(422);
      expect(res.error).toContain(`Team ${team} would use 5 of 4 GPUs on cluster Tight (${tight.name}): 3 in its approved scale sets there, 2 in this request.`);
      expect(res.error).toMatch(/Lower the maximum runners before approving, pick another cluster, or ask an admin to raise the team ceiling/);
      const { capacityOnCluster } = await import("@/lib/provision/capacity");
      const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: second.id }, include: { team: true } });
      expect((await capacityOnCluster({ ...row, spec: row.spec as never }, tight.id, { kube: null })).notEligible).toEqual([
        `Team ${team} would use 5 of 4 GPUs on this cluster: 3 in its approved scale sets there, 2 in this request.`,
      ]);
      // Lowered to fit, the approval goes through.
      await act(reviewer, second.id, { action: "approve", clusterId: tight.id, adjustments: { maxRunners: 1 } });
      expect(await db.runnerRequest.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ status: "APPROVED", clusterId: tight.id, spec: { maxRunners: 1 } });
    });

    it("a target whose stored settings no longer validate is a 409, not a 500", async () => {
      const broken = await db.cluster.create({ data: { name: `broken-${randomBytes(4).toString("hex")}`, displayName: "", settings: { maxRunnersCeiling: "lots" } } });
      const { id } = await submitted();
      const res = await refused(id, broken.id);
      expect(res.status).toBe(409);
      expect(res.error).toMatch(/settings stored for cluster .* are not valid/);
    });
  });
});
