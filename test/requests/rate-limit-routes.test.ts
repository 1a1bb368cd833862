// Issue 15, item 13: draft saves and team-member changes are rate limited per person, through the
// real route handlers: a 429 with Retry-After and a sentence that says when to try again.
import { describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { createRequest } from "@/lib/requests/create";
import { LIMITS } from "@/lib/rate-limit";
import { makeActor, requestBody } from "./fixtures";

const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ currentActor: async () => signedIn.actor }));

const requestRoute = await import("@/app/api/requests/[id]/route");
const membersRoute = await import("@/app/api/teams/[id]/members/route");
const memberRoute = await import("@/app/api/teams/[id]/members/[login]/route");

const json = (method: string, url: string, body?: unknown) =>
  new Request(`http://portal.test${url}`, { method, headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" }, body: body === undefined ? undefined : JSON.stringify(body) });

describe("rate limits on draft saves and team-member changes", () => {
  it(`one draft save past ${LIMITS.draftSave.max} in 10 minutes is a 429 with Retry-After, and writes no timeline entry`, async () => {
    const actor = await makeActor({ team: "rl-a" });
    signedIn.actor = actor;
    const body = { ...requestBody({ team: "rl-a" }), githubApp: { appId: "", installationId: "", privateKey: "" } };
    const { id } = await createRequest(actor, body, "draft");
    const save = (n: number) => requestRoute.PUT(json("PUT", `/api/requests/${id}`, { ...body, maxRunners: (n % 3) + 1, intent: "save" }), { params: Promise.resolve({ id }) });
    for (let n = 0; n < LIMITS.draftSave.max; n++) expect((await save(n)).status).toBe(200);
    const events = await db.requestEvent.count({ where: { requestId: id } });
    const refused = await save(99);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error).toMatch(/^You can save a draft at most 30 times in 10 minutes\. Try again in \d+ min\. Your answers stay in the form/);
    expect(await db.requestEvent.count({ where: { requestId: id } })).toBe(events);
  });

  it(`one team-member change past ${LIMITS.teamMembers.max} in an hour is a 429 with Retry-After, and changes nothing`, async () => {
    const founder = await makeActor({ team: "rl-b" });
    signedIn.actor = founder;
    const teamId = founder.teamIds[0]!;
    const guest = await makeActor();
    const add = () => membersRoute.POST(json("POST", `/api/teams/${teamId}/members`, { login: guest.login }), { params: Promise.resolve({ id: teamId }) });
    const remove = () => memberRoute.DELETE(json("DELETE", `/api/teams/${teamId}/members/${guest.login}`), { params: Promise.resolve({ id: teamId, login: guest.login }) });
    for (let n = 0; n < LIMITS.teamMembers.max; n++) expect((await (n % 2 === 0 ? add() : remove())).status).toBe(n % 2 === 0 ? 201 : 200);
    const before = await db.teamMembership.count({ where: { teamId } });
    const refused = await add();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error).toMatch(/^You can add or remove team members at most 30 times in 60 minutes\. Try again in \d+ min\./);
    expect(await db.teamMembership.count({ where: { teamId } })).toBe(before);
  });

  it("a draft save that changes nothing adds no timeline entry", async () => {
    const actor = await makeActor({ team: "rl-c" });
    signedIn.actor = actor;
    const body = { ...requestBody({ team: "rl-c" }), githubApp: { appId: "", installationId: "", privateKey: "" } };
    const { id } = await createRequest(actor, body, "draft");
    const save = (maxRunners: number) => requestRoute.PUT(json("PUT", `/api/requests/${id}`, { ...body, maxRunners, intent: "save" }), { params: Promise.resolve({ id }) });
    expect((await save(2)).status).toBe(200);
    const events = await db.requestEvent.count({ where: { requestId: id } });
    for (let n = 0; n < 5; n++) expect((await save(2)).status).toBe(200);
    expect(await db.requestEvent.count({ where: { requestId: id } })).toBe(events);
  });
});
