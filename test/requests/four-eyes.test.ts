// Issue 15, item 2: nobody approves answers they wrote or changed, whoever created the request,
// and no member of the request's team approves it.
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { HttpError } from "@/lib/http-errors";
import { act } from "@/lib/requests/actions";
import { createRequest } from "@/lib/requests/create";
import { editRequest } from "@/lib/requests/edit";
import { requestView } from "@/lib/requests/view";
import { addMember } from "@/lib/teams/members";
import { teamView } from "@/lib/teams/queries";
import { makeActor, requestBody } from "./fixtures";

async function refusal(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

/** The actor as the gate sees them after a membership change. */
async function fresh(a: Actor): Promise<Actor> {
  const teamIds = (await db.teamMembership.findMany({ where: { userId: a.id }, select: { teamId: true } })).map((m) => m.teamId);
  return { ...a, teamIds };
}

const unchanged = async (id: string) => {
  const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
  return { status: row.status, version: row.version, events: await db.requestEvent.count({ where: { requestId: id } }) };
};

describe("four eyes at approval", () => {
  it("a reviewer the team added, who rewrote a request sent back for changes, cannot approve it even after leaving the team", async () => {
    const requester = await makeActor({ team: "fe-a" });
    const body = requestBody({ team: "fe-a" });
    const { id } = await createRequest(requester, body, "submit");
    const other = await makeActor({ role: "REVIEWER" });
    await act(other, id, { action: "request_changes", reason: "fewer runners" });

    let mallory = await makeActor({ role: "REVIEWER" });
    await addMember(requester, requester.teamIds[0]!, { login: mallory.login });
    mallory = await fresh(mallory);
    await editRequest(mallory, id, { ...body, maxRunners: 20, image: "ghcr.io/mallory/runner:1", intent: "submit" });
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id } })).submittedById).toBe(mallory.id);

    const before = await unchanged(id);
    const inTeam = await refusal(act(mallory, id, { action: "approve" }));
    expect(inTeam.status).toBe(403);
    expect(inTeam.message).toMatch(/You wrote or changed the answers under review/);
    expect(await unchanged(id)).toEqual(before);

    // Out of the team again: still the author of the answers under review.
    await db.teamMembership.delete({ where: { teamId_userId: { teamId: requester.teamIds[0]!, userId: mallory.id } } });
    mallory = await fresh(mallory);
    const asAuthor = await refusal(act(mallory, id, { action: "approve" }));
    expect(asAuthor.status).toBe(403);
    expect(asAuthor.message).toMatch(/You wrote or changed the answers under review/);
    expect(await unchanged(id)).toEqual(before);
    // The page offers no approve button, and says why.
    const view = await requestView(mallory, id);
    expect(view.actions).not.toContain("approve");
    expect(view.approvalRefusal).toMatch(/You wrote or changed/);

    await act(other, id, { action: "approve" });
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id } })).status).toBe("APPROVED");
  });

  it("an admin who joins a team cannot approve its requests, and the team's history and the reviewers see that staff joined", async () => {
    const requester = await makeActor({ team: "fe-b" });
    const { id } = await createRequest(requester, requestBody({ team: "fe-b" }), "submit");
    let admin = await makeActor({ role: "ADMIN" });
    await addMember(admin, requester.teamIds[0]!, { login: admin.login });
    admin = await fresh(admin);
    const err = await refusal(act(admin, id, { action: "approve" }));
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/member of team fe-b/);

    const history = (await teamView(admin, requester.teamIds[0]!)).history;
    expect(history[0]).toMatchObject({ action: "MEMBER_ADDED", target: admin.login, targetRole: "ADMIN" });
    const reviewer = await makeActor({ role: "REVIEWER" });
    const view = await requestView(reviewer, id);
    expect(view.teamStaff).toEqual([{ login: admin.login, role: "ADMIN" }]);
    expect(view.actions).toContain("approve");
  });

  it("a reviewer who only saved a draft's answers cannot approve the version someone else submitted", async () => {
    const requester = await makeActor({ team: "fe-c" });
    const body = requestBody({ team: "fe-c" });
    const { id } = await createRequest(requester, { ...body, githubApp: { appId: "", installationId: "", privateKey: "" } }, "draft");
    let editor = await makeActor({ role: "REVIEWER" });
    await addMember(requester, requester.teamIds[0]!, { login: editor.login });
    editor = await fresh(editor);
    await editRequest(editor, id, { ...body, githubApp: { appId: "", installationId: "", privateKey: "" }, maxRunners: 20, intent: "save" });
    await db.teamMembership.delete({ where: { teamId_userId: { teamId: requester.teamIds[0]!, userId: editor.id } } });
    await editRequest(requester, id, { ...body, maxRunners: 20, intent: "submit" });
    const err = await refusal(act(await fresh(editor), id, { action: "approve" }));
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/You wrote or changed/);
  });

  it("records who sent each version: submit, change request and decommission request", async () => {
    const requester = await makeActor({ team: "fe-d" });
    const body = requestBody({ team: "fe-d" });
    const { id } = await createRequest(requester, body, "submit");
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id } })).submittedById).toBe(requester.id);
    const reviewer = await makeActor({ role: "REVIEWER" });
    await act(reviewer, id, { action: "approve" });
    // As provisioning would leave it.
    await db.runnerRequest.update({ where: { id }, data: { status: "READY" } });
    const colleague = await makeActor({ team: "fe-d" });
    await editRequest(colleague, id, { ...body, maxRunners: 2, intent: "submit" });
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id } })).submittedById).toBe(colleague.id);
    // Approving the change is refused to its sender, allowed to a reviewer who took no part.
    await act(reviewer, id, { action: "approve" });
    await db.runnerRequest.update({ where: { id }, data: { status: "READY" } });
    const third = await makeActor({ team: "fe-d" });
    await act(third, id, { action: "request_decommission", reason: "moving to the new pool" });
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    expect([row.status, row.reviewKind, row.submittedById]).toEqual(["SUBMITTED", "DECOMMISSION", third.id]);
  });

  it("the admin who imported a scale set does not take it over (its first apply); another reviewer does", async () => {
    const requester = await makeActor({ team: "fe-e" });
    const { id } = await createRequest(requester, requestBody({ team: "fe-e" }), "submit");
    const reviewer = await makeActor({ role: "REVIEWER" });
    await act(reviewer, id, { action: "approve" });
    const admin = await makeActor({ role: "ADMIN" });
    // What an import leaves (lib/clusters/import-request.ts): READY, filed by the admin, objects still helm's.
    await db.runnerRequest.update({ where: { id }, data: { status: "READY", requesterId: admin.id, adoptFrom: "helm" } });
    const err = await refusal(act(admin, id, { action: "reapply" }));
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/You imported this scale set/);
    expect((await requestView(admin, id)).actions).not.toContain("reapply");
    await act(reviewer, id, { action: "reapply" });
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id } })).status).toBe("APPROVED");
  });
});
