import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { HttpError } from "@/lib/http-errors";
import { act } from "@/lib/requests/actions";
import { createRequest } from "@/lib/requests/create";
import { editRequest } from "@/lib/requests/edit";
import { makeActor, requestBody } from "./fixtures";

async function submitted() {
  const requester = await makeActor({ team: "team-r" });
  const body = requestBody({ team: "team-r" });
  const { id } = await createRequest(requester, body, "submit");
  return { requester, body, id };
}

describe("review decisions", () => {
  it("20 reviewers deciding at once: exactly one decision, one audit event, and the others are told the fresh state", async () => {
    const { id } = await submitted();
    const reviewers = await Promise.all(Array.from({ length: 20 }, () => makeActor({ role: "REVIEWER" })));
    const { version } = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    const results = await Promise.allSettled(
      reviewers.map((r, i) => act(r, id, i % 2 ? { action: "approve", version } : { action: "reject", reason: "not now", version })),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      const err = (r as PromiseRejectedResult).reason as HttpError;
      expect(err.status).toBe(409);
      expect(err.message).toMatch(/Someone else acted on this request first: it is now (approved|rejected)/);
    }
    const events = await db.requestEvent.findMany({ where: { requestId: id, type: { in: ["approve", "reject"] } } });
    expect(events).toHaveLength(1);
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe(events[0]!.toStatus);
  });

  it("without a version, concurrent decisions still serialise: one wins, the rest are illegal transitions", async () => {
    const { id } = await submitted();
    const reviewers = await Promise.all(Array.from({ length: 5 }, () => makeActor({ role: "REVIEWER" })));
    const results = await Promise.allSettled(reviewers.map((r) => act(r, id, { action: "approve" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.requestEvent.count({ where: { requestId: id, type: "approve" } })).toBe(1);
  });

  it("a rejection needs a reason, writes nothing without one, and releases the label", async () => {
    const { id, body } = await submitted();
    const reviewer = await makeActor({ role: "REVIEWER" });
    const before = await db.requestEvent.count({ where: { requestId: id } });
    await expect(act(reviewer, id, { action: "reject" })).rejects.toMatchObject({ status: 422 });
    expect(await db.requestEvent.count({ where: { requestId: id } })).toBe(before);
    await act(reviewer, id, { action: "reject", reason: "Use the shared CPU pool instead." });
    expect(await db.labelClaim.findFirst({ where: { label: body.label } })).toBeNull();
    await expect(act(reviewer, id, { action: "approve" })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/rejected cannot be approved/) });
  });

  it("an adjusted approval is validated like the form and recorded as such", async () => {
    const { id } = await submitted();
    const reviewer = await makeActor({ role: "REVIEWER" });
    await expect(act(reviewer, id, { action: "approve", adjustments: { maxRunners: 999 } })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { maxRunners: [expect.stringMatching(/at most 20/)] },
    });
    await act(reviewer, id, { action: "approve", adjustments: { maxRunners: 1, namespace: "arc-adjusted" } });
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id }, include: { events: { orderBy: { createdAt: "asc" } } } });
    expect(row.namespace).toBe("arc-adjusted");
    expect(row.approvedSpec).toMatchObject({ maxRunners: 1, namespace: "arc-adjusted" });
    const approve = row.events.find((e) => e.type === "approve")!;
    expect(approve.message).toMatch(/Adjusted by the reviewer/);
    expect(approve.changes).toMatchObject({ maxRunners: { before: 3, after: 1 }, namespace: { after: "arc-adjusted" } });
  });

  it("audit events cannot be updated or deleted, not even by the portal's own database user", async () => {
    const { id } = await submitted();
    const event = await db.requestEvent.findFirstOrThrow({ where: { requestId: id } });
    await expect(db.requestEvent.update({ where: { id: event.id }, data: { message: "rewritten" } })).rejects.toThrow(/append-only/);
    await expect(db.requestEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE "RequestEvent" CASCADE`)).rejects.toThrow(/append-only/);
    expect((await db.requestEvent.findUniqueOrThrow({ where: { id: event.id } })).message).toBe(event.message);
  });

  it("a change to a live scale set keeps its label, is reviewed again, and a declined change restores the approved answers", async () => {
    const { id, requester, body } = await submitted();
    const reviewer = await makeActor({ role: "REVIEWER" });
    await act(reviewer, id, { action: "approve" });
    // Provisioning is the worker's; here the request is simply marked ready.
    await db.runnerRequest.update({ where: { id }, data: { status: "READY" } });

    await expect(editRequest(requester, id, { ...body, label: "renamed", githubApp: { ...body.githubApp, privateKey: "" } })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { label: [expect.stringMatching(/stays/)] },
    });
    const changed = await editRequest(requester, id, { ...body, maxRunners: 5, githubApp: { ...body.githubApp, privateKey: "" } });
    expect(changed.status).toBe("SUBMITTED");
    expect(changed.reviewKind).toBe("CHANGE");
    expect(changed.privateKeyCiphertext).not.toBeNull(); // no new key: the existing one stays

    await act(reviewer, id, { action: "reject", reason: "Keep 3 for now." });
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("READY");
    expect(row.spec).toMatchObject({ maxRunners: 3 });
  });

  it("only the team edits and only reviewers decide", async () => {
    const { id, body } = await submitted();
    const stranger = await makeActor({ team: "other-team" });
    const requesterOfTeam = await makeActor({ team: "team-r" });
    await expect(act(stranger, id, { action: "approve" })).rejects.toMatchObject({ status: 404 });
    await expect(act(requesterOfTeam, id, { action: "approve" })).rejects.toMatchObject({ status: 403 });
    await expect(editRequest(stranger, id, body)).rejects.toMatchObject({ status: 404 });
  });
});
