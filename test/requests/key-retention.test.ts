// Issue 15, item 10: a request that can no longer be provisioned keeps no sealed private key,
// and the timeline says it was deleted.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { act } from "@/lib/requests/actions";
import { createRequest } from "@/lib/requests/create";
import { editRequest } from "@/lib/requests/edit";
import { makeActor, requestBody } from "./fixtures";

async function keyState(id: string) {
  const row = await db.runnerRequest.findUniqueOrThrow({ where: { id }, include: { events: { orderBy: { createdAt: "asc" } } } });
  return { sealed: row.privateKeyCiphertext !== null, fingerprint: row.privateKeyFingerprint, events: row.events };
}

describe("the sealed key of a request that will not be provisioned", () => {
  it("is deleted when the request is rejected, and the timeline says so", async () => {
    const requester = await makeActor({ team: "key-a" });
    const { id } = await createRequest(requester, requestBody({ team: "key-a" }), "submit");
    expect((await keyState(id)).sealed).toBe(true);
    await act(await makeActor({ role: "REVIEWER" }), id, { action: "reject", reason: "use the shared pool" });
    const after = await keyState(id);
    expect(after.sealed).toBe(false);
    // The fingerprint stays: the timeline and the page still say which key it was.
    expect(after.fingerprint).toMatch(/^SHA256:/);
    const deleted = after.events.filter((e) => e.type === "key_deleted");
    expect(deleted).toHaveLength(1);
    expect(deleted[0]!.message).toMatch(new RegExp(`Private key deleted .*Fingerprint ${after.fingerprint!.replace(/[+/]/g, "\\$&")}`));
  });

  it("is deleted when a change the team asked for is withdrawn", async () => {
    const requester = await makeActor({ team: "key-b" });
    const body = requestBody({ team: "key-b" });
    const { id } = await createRequest(requester, body, "submit");
    const reviewer = await makeActor({ role: "REVIEWER" });
    await act(reviewer, id, { action: "approve" });
    // As provisioning leaves it when it could not yet forget the key.
    await db.runnerRequest.update({ where: { id }, data: { status: "READY" } });
    const { privateKey: _omit, ...app } = body.githubApp;
    await editRequest(requester, id, { ...body, githubApp: app, maxRunners: 2, intent: "submit" });
    await act(reviewer, id, { action: "request_changes", reason: "why more?" });
    expect((await keyState(id)).sealed).toBe(true);
    await act(requester, id, { action: "withdraw" });
    const after = await keyState(id);
    expect(after.sealed).toBe(false);
    expect(after.events.at(-1)).toMatchObject({ type: "key_deleted" });
  });

  it("stays while the request can still be provisioned (sent back for changes)", async () => {
    const requester = await makeActor({ team: "key-c" });
    const { id } = await createRequest(requester, requestBody({ team: "key-c" }), "submit");
    await act(await makeActor({ role: "REVIEWER" }), id, { action: "request_changes", reason: "more detail" });
    expect((await keyState(id)).sealed).toBe(true);
  });
});
