// An approval asks the cluster itself whether the request fits (a real kube-apiserver with one
// registered node): one that does not fit is refused unless the reviewer gives a reason to
// approve anyway, which the approval's timeline entry keeps; the reviewer's adjustments count;
// a cluster that cannot be asked does not block the approval, and the timeline says so.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { registerCluster } from "@/lib/clusters/registry";
import { db } from "@/lib/db";
import { capacityOnCluster } from "@/lib/provision/capacity";
import { act } from "@/lib/requests/actions";
import { createRequest } from "@/lib/requests/create";
import { freePort } from "@/scripts/db/embedded-postgres";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { kubeRequest } from "@/test/harness/kube-request";
import { tokenKubeconfig } from "@/test/harness/kubeconfig-text";
import { suffix } from "@/test/provision/fixtures";
import { makeActor, requestBody } from "./fixtures";

let kube: KubeCluster;
let live: { id: string; name: string };
/** The same API server under another registration: no approved scale sets claim room on it yet. */
let empty: { id: string; name: string };
let gone: { id: string; name: string };
let reviewer: Actor;
let requester: Actor;

beforeAll(async () => {
  kube = await startKube();
  // One node with 16 cores: three 8-core runners do not fit, two do.
  const allocatable = { "amd.com/gpu": "8", cpu: "16", memory: "256Gi", pods: "110" };
  const node = await kubeRequest(kube, "POST", "/api/v1/nodes", { metadata: { name: "small-node" }, status: { allocatable, capacity: allocatable } });
  expect(node.status).toBe(201);
  const admin = await db.user.create({ data: { login: `admin-${suffix()}`, role: "ADMIN" } });
  live = await registerCluster(admin, { name: `small-${suffix()}`, displayName: "Small", connection: "KUBECONFIG", kubeconfig: readFileSync(kube.kubeconfigPath, "utf8") });
  empty = await registerCluster(admin, { name: `empty-${suffix()}`, displayName: "Empty", connection: "KUBECONFIG", kubeconfig: readFileSync(kube.kubeconfigPath, "utf8") });
  gone = await registerCluster(admin, { name: `gone-${suffix()}`, displayName: "Gone", connection: "KUBECONFIG", kubeconfig: tokenKubeconfig(`https://127.0.0.1:${await freePort()}`) });
  reviewer = await makeActor({ role: "REVIEWER" });
  requester = await makeActor({ team: "team-fit" });
}, 120_000);

afterAll(async () => {
  await kube?.stop();
});

/** A new request of three 8-core runners, submitted. */
async function submitted() {
  const { id } = await createRequest(requester, requestBody({ team: "team-fit", cpu: "8", memory: "64Gi", gpus: 1, maxRunners: 3 }), "submit");
  return id;
}

const approveEvent = (id: string) => db.requestEvent.findFirst({ where: { requestId: id, type: "approve" } });

describe("approving what the capacity check says does not fit", () => {
  it("is refused without a reason, changing nothing, and goes through with one that the timeline keeps", async () => {
    const id = await submitted();
    const before = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    await expect(act(reviewer, id, { action: "approve", clusterId: live.id })).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/^Does not fit on Small \(small-.*\): CPU cores\. To approve anyway, give your reason/),
      fieldErrors: { overrideReason: ["It does not fit: say why you approve it anyway"] },
    });
    expect(await db.runnerRequest.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect(await approveEvent(id)).toBeNull();
    // A blank reason is no reason.
    await expect(act(reviewer, id, { action: "approve", clusterId: live.id, overrideReason: "   " })).rejects.toMatchObject({ status: 422 });

    await act(reviewer, id, { action: "approve", clusterId: live.id, overrideReason: "Jobs are short; three runners at once are rare." });
    expect(await db.runnerRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "APPROVED", clusterId: live.id });
    const event = await approveEvent(id);
    expect(event).toMatchObject({ actorId: reviewer.id });
    expect(event!.message).toContain("Approved anyway. Does not fit on Small");
    expect(event!.message).toContain("Reason: Jobs are short; three runners at once are rare.");
    expect(event!.message).toContain("– Needs up to 24 CPU cores (3 runners × 8 CPU cores); the cluster has 16 CPU cores allocatable");
  });

  it("counts the reviewer's adjustment: with two runners it fits and needs no reason", async () => {
    const id = await submitted();
    await expect(act(reviewer, id, { action: "approve", clusterId: empty.id })).rejects.toMatchObject({ status: 422 });
    await act(reviewer, id, { action: "approve", clusterId: empty.id, adjustments: { maxRunners: 2 } });
    const event = await approveEvent(id);
    expect(event!.message).not.toContain("Approved anyway");
    expect(await db.runnerRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "APPROVED", approvedSpec: { maxRunners: 2 } });
  });

  it("does not block on a cluster that cannot be asked: approved, and the timeline says capacity was not checked", async () => {
    const id = await submitted();
    const started = Date.now();
    await act(reviewer, id, { action: "approve", clusterId: gone.id });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await approveEvent(id))!.message).toMatch(/Approved without a capacity answer: The cluster could not be asked/);
  });

  it("refuses a reason to approve anyway on any other action, and from someone who may not approve", async () => {
    const id = await submitted();
    await expect(act(reviewer, id, { action: "request_changes", reason: "Fewer runners, please.", overrideReason: "x" })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { overrideReason: ["Only an approval can be made anyway"] },
    });
    // The team cannot approve, and learns nothing of the cluster's capacity from trying.
    await expect(act(requester, id, { action: "approve", clusterId: live.id })).rejects.toMatchObject({ status: 403 });
  });

  // Last: it registers a second node.
  it("reuses a cluster's node list for a short while, so reviewers' pages do not each list the nodes again", async () => {
    const id = await submitted();
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    const input = { ...row, spec: row.spec as never };
    const first = await capacityOnCluster(input, live.id);
    expect(first.cluster).toMatchObject({ state: "live", nodes: 1 });
    const allocatable = { cpu: "16", memory: "256Gi", pods: "110" };
    expect((await kubeRequest(kube, "POST", "/api/v1/nodes", { metadata: { name: "late-node" }, status: { allocatable, capacity: allocatable } })).status).toBe(201);
    expect((await capacityOnCluster(input, live.id)).cluster.nodes).toBe(1);
    // Another registration of the same API server has its own entry, and lists both.
    const admin = await db.user.create({ data: { login: `admin-${suffix()}`, role: "ADMIN" } });
    const again = await registerCluster(admin, { name: `again-${suffix()}`, displayName: "Again", connection: "KUBECONFIG", kubeconfig: readFileSync(kube.kubeconfigPath, "utf8") });
    expect((await capacityOnCluster(input, again.id)).cluster.nodes).toBe(2);
  });
});
