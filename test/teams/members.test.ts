import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { HttpError } from "@/lib/http-errors";
import { createRequest } from "@/lib/requests/create";
import { listRequests } from "@/lib/requests/queries";
import { addMember, removeMember } from "@/lib/teams/members";
import { listAllTeams, listMyTeams, teamView } from "@/lib/teams/queries";
import { requestBody } from "@/test/requests/fixtures";

// lib/teams against a real PostgreSQL: who may change a team, what is refused
// (with nothing written), the audit trail, and two removals racing.

const uniq = () => randomBytes(4).toString("hex");

async function person(role: Role = "REQUESTER"): Promise<Actor> {
  const login = `p-${uniq()}`;
  const user = await db.user.create({ data: { login, name: `Person ${login}`, role } });
  return { id: user.id, login, name: user.name, role, teamIds: [] };
}

/** The person as the gate sees them on their next request: memberships read again. */
async function fresh(actor: Actor): Promise<Actor> {
  const rows = await db.teamMembership.findMany({ where: { userId: actor.id }, select: { teamId: true } });
  return { ...actor, teamIds: rows.map((r) => r.teamId) };
}

/** A team created the way the portal creates one: its first member files a request under a new name. */
async function teamWithRequest(): Promise<{ teamId: string; founder: Actor; requestId: string }> {
  const founder = await person();
  const { id } = await createRequest(founder, requestBody({ team: `Team ${uniq()}` }), "submit");
  const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
  return { teamId: row.teamId, founder: await fresh(founder), requestId: id };
}

async function rejection(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

async function snapshot() {
  const [teams, memberships, events] = await Promise.all([
    db.team.findMany({ orderBy: { id: "asc" } }),
    db.teamMembership.findMany({ orderBy: [{ teamId: "asc" }, { userId: "asc" }] }),
    db.teamEvent.findMany({ orderBy: { id: "asc" } }),
  ]);
  return { teams, memberships, events };
}

describe("adding a member", () => {
  it("lets a member add someone who has signed in; the newcomer then sees the team's requests, and the change is audited", async () => {
    const { teamId, founder, requestId } = await teamWithRequest();
    const newcomer = await person();
    expect((await listRequests(newcomer, { mineOnly: true })).map((r) => r.id)).not.toContain(requestId);

    expect(await addMember(founder, teamId, { login: ` @${newcomer.login.toUpperCase()} ` })).toEqual({ login: newcomer.login });

    const now = await fresh(newcomer);
    expect(now.teamIds).toEqual([teamId]);
    expect((await listRequests(now, { mineOnly: true })).map((r) => r.id)).toContain(requestId);
    const events = await db.teamEvent.findMany({ where: { teamId }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.action, e.actorId, e.targetLogin])).toEqual([
      ["TEAM_CREATED", founder.id, founder.login],
      ["MEMBER_ADDED", founder.id, newcomer.login],
    ]);
    expect(Date.now() - events[1]!.createdAt.getTime()).toBeLessThan(60_000);

    const view = await teamView(now, teamId);
    expect(view.access).toBe("manage");
    expect(view.members.map((m) => m.login)).toEqual([founder.login, newcomer.login]);
    expect(view.requestCount).toBe(1);
    expect(view.history.map((h) => [h.action, h.actor, h.target])).toEqual([
      ["MEMBER_ADDED", founder.login, newcomer.login],
      ["TEAM_CREATED", founder.login, founder.login],
    ]);
  });

  it("lets an admin who is not a member add to any team", async () => {
    const { teamId } = await teamWithRequest();
    const admin = await person("ADMIN");
    const newcomer = await person();
    await addMember(admin, teamId, { login: newcomer.login });
    expect((await fresh(newcomer)).teamIds).toEqual([teamId]);
    expect((await teamView(admin, teamId)).access).toBe("manage");
  });

  it.each([
    ["a login with a space", { login: "two words" }, 400, /letters, digits and single hyphens/],
    ["a login with a leading hyphen", { login: "-alice" }, 400, /does not start or end with a hyphen/],
    ["a login of 40 characters", { login: "a".repeat(40) }, 400, /at most 39/],
    ["an empty login", { login: "  " }, 400, /required/],
    ["a number", { login: 42 }, 400, /must be text/],
    ["no login", {}, 400, /required/],
    ["a body that is not an object", ["alice"], 400, /login/],
    ["a login with a NUL byte", { login: "ali\u0000ce" }, 400, /letters, digits/],
    ["a login nobody has signed in with", { login: "nobody-signed-in-yet" }, 400, /@nobody-signed-in-yet has signed in to the portal yet\. Ask them to sign in once/],
  ])("refuses %s with a message and writes nothing", async (_what, body, status, message) => {
    const { teamId, founder } = await teamWithRequest();
    const before = await snapshot();
    const err = await rejection(addMember(founder, teamId, body));
    expect(err.status).toBe(status);
    expect(err.message).toMatch(message);
    expect(err.fieldErrors?.login?.length).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a duplicate (409), an unknown or malformed team (404), a non-member (404) and a reviewer (403), writing nothing", async () => {
    const { teamId, founder } = await teamWithRequest();
    const other = await teamWithRequest();
    const newcomer = await person();
    const reviewer = await person("REVIEWER");
    const before = await snapshot();

    const dup = await rejection(addMember(founder, teamId, { login: founder.login }));
    expect([dup.status, dup.message]).toEqual([409, expect.stringMatching(/already a member/)]);
    expect((await rejection(addMember(founder, "c-no-such-team", { login: newcomer.login }))).status).toBe(404);
    const weird = await rejection(addMember(founder, "x\u202E/../" + "y".repeat(100), { login: newcomer.login }));
    expect(weird.status).toBe(404);
    expect(weird.message).not.toContain("y".repeat(100));
    const outsider = await rejection(addMember(other.founder, teamId, { login: newcomer.login }));
    expect([outsider.status, outsider.message]).toEqual([404, expect.stringMatching(/not one of its members/)]);
    // A non-member's bad input is not looked at: the team is not theirs to know about.
    expect((await rejection(addMember(other.founder, teamId, { login: "" }))).status).toBe(404);
    const rev = await rejection(addMember(reviewer, teamId, { login: newcomer.login }));
    expect([rev.status, rev.message]).toEqual([403, expect.stringMatching(/reviewers can see teams but not change them/)]);
    // Memberships read when the request came in are checked again under the lock.
    const removedSinceSignIn = { ...other.founder, teamIds: [...other.founder.teamIds, teamId] };
    expect((await rejection(addMember(removedSinceSignIn, teamId, { login: newcomer.login }))).status).toBe(404);

    expect(await snapshot()).toEqual(before);
  });
});

describe("removing a member", () => {
  it("removes a member and audits it; a member may also leave, but never as the last one", async () => {
    const { teamId, founder } = await teamWithRequest();
    const b = await person();
    const c = await person();
    await addMember(founder, teamId, { login: b.login });
    await addMember(founder, teamId, { login: c.login });

    expect(await removeMember(founder, teamId, b.login)).toEqual({ login: b.login, self: false });
    expect((await fresh(b)).teamIds).toEqual([]);
    expect(await removeMember(await fresh(c), teamId, c.login)).toEqual({ login: c.login, self: true });

    const before = await snapshot();
    const last = await rejection(removeMember(founder, teamId, founder.login));
    expect(last.status).toBe(409);
    expect(last.message).toMatch(/is the last member of .*A team needs at least one member/);
    expect(await snapshot()).toEqual(before);

    const events = await db.teamEvent.findMany({ where: { teamId }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.action, e.actorId, e.targetLogin])).toEqual([
      ["TEAM_CREATED", founder.id, founder.login],
      ["MEMBER_ADDED", founder.id, b.login],
      ["MEMBER_ADDED", founder.id, c.login],
      ["MEMBER_REMOVED", founder.id, b.login],
      ["MEMBER_REMOVED", c.id, c.login],
    ]);
  });

  it("refuses a malformed login (400), someone who is not a member (404), a reviewer (403) and a non-member (404), writing nothing", async () => {
    const { teamId, founder } = await teamWithRequest();
    const other = await teamWithRequest();
    const b = await person();
    await addMember(founder, teamId, { login: b.login });
    const reviewer = await person("REVIEWER");
    const before = await snapshot();

    const bad = await rejection(removeMember(founder, teamId, "no/slashes"));
    expect([bad.status, bad.fieldErrors?.login?.[0]]).toEqual([400, expect.stringMatching(/single hyphens/)]);
    const notMember = await rejection(removeMember(founder, teamId, other.founder.login));
    expect([notMember.status, notMember.message]).toEqual([404, `@${other.founder.login} is not a member of ${(await teamView(founder, teamId)).name}.`]);
    expect((await rejection(removeMember(reviewer, teamId, b.login))).status).toBe(403);
    expect((await rejection(removeMember(other.founder, teamId, b.login))).status).toBe(404);
    expect((await rejection(removeMember(founder, "c-no-such-team", b.login))).status).toBe(404);

    expect(await snapshot()).toEqual(before);
  });

  it("two removals racing never leave a team without members", async () => {
    for (let round = 0; round < 5; round++) {
      const { teamId, founder } = await teamWithRequest();
      const b = await fresh(await person());
      await addMember(founder, teamId, { login: b.login });
      // Each removes the other, at the same moment.
      const results = await Promise.allSettled([removeMember(founder, teamId, b.login), removeMember(await fresh(b), teamId, founder.login)]);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(refused).toHaveLength(1);
      // The loser is either "last member" (it ran second) or no longer a member at all (its own membership went first).
      expect([409, 404]).toContain((refused[0]!.reason as HttpError).status);
      expect(await db.teamMembership.count({ where: { teamId } })).toBe(1);
      expect(await db.teamEvent.count({ where: { teamId, action: "MEMBER_REMOVED" } })).toBe(1);
    }
  });

  it("an admin removing every member of a five-person team at once keeps exactly one", async () => {
    const { teamId, founder } = await teamWithRequest();
    const admin = await person("ADMIN");
    const others = await Promise.all([1, 2, 3, 4].map(() => person()));
    for (const o of others) await addMember(founder, teamId, { login: o.login });
    const logins = [founder.login, ...others.map((o) => o.login)];
    const results = await Promise.allSettled(logins.map((l) => removeMember(admin, teamId, l)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(4);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused.map((r) => (r.reason as HttpError).status)).toEqual([409]);
    expect(await db.teamMembership.count({ where: { teamId } })).toBe(1);
  });
});

describe("seeing teams", () => {
  it("members manage, reviewers only see, anyone else gets 404", async () => {
    const { teamId, founder } = await teamWithRequest();
    const other = await teamWithRequest();
    expect((await teamView(founder, teamId)).access).toBe("manage");
    expect((await teamView(await person("REVIEWER"), teamId)).access).toBe("view");
    expect((await rejection(teamView(other.founder, teamId))).status).toBe(404);
    expect((await rejection(teamView(founder, "nope"))).status).toBe(404);
  });

  it("lists one's own teams, and every team for admins, with member and request counts", async () => {
    const a = await teamWithRequest();
    const b = await teamWithRequest();
    await createRequest(b.founder, requestBody({ team: (await teamView(b.founder, b.teamId)).name }), "submit");
    await addMember(b.founder, b.teamId, { login: a.founder.login });
    const mine = await listMyTeams(await fresh(a.founder));
    const byId = (x: (string | number)[], y: (string | number)[]) => String(x[0]).localeCompare(String(y[0]));
    expect(mine.map((t) => [t.id, t.memberCount, t.requestCount]).sort(byId)).toEqual(
      [
        [a.teamId, 1, 1],
        [b.teamId, 2, 2],
      ].sort(byId),
    );
    expect(mine.find((t) => t.id === b.teamId)!.members).toEqual([b.founder.login, a.founder.login]);
    const all = await listAllTeams();
    expect(all.find((t) => t.id === b.teamId)).toMatchObject({ memberCount: 2, requestCount: 2 });
    expect(all.length).toBeGreaterThanOrEqual(2);
  });

  it("team events cannot be updated or deleted", async () => {
    const { teamId } = await teamWithRequest();
    const event = await db.teamEvent.findFirstOrThrow({ where: { teamId } });
    await expect(db.teamEvent.update({ where: { id: event.id }, data: { targetLogin: "someone-else" } })).rejects.toThrow(/append-only/);
    await expect(db.teamEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE "TeamEvent" CASCADE`)).rejects.toThrow(/append-only/);
  });
});

describe("filing under someone else's team", () => {
  it("says the name is taken and how to get in, without naming the team's members or its page (issue 15, item 12)", async () => {
    const { teamId, founder } = await teamWithRequest();
    const name = (await teamView(founder, teamId)).name;
    const b = await person();
    await addMember(founder, teamId, { login: b.login });
    const stranger = await person();
    const err = await rejection(createRequest(stranger, requestBody({ team: name }), "submit"));
    expect(err.status).toBe(422);
    expect(err.message).toBe(
      `Team name "${name}" belongs to an existing team you are not a member of. Ask one of its members to add you on the team's page (Teams), or use your own team's name.`,
    );
    const everything = JSON.stringify({ message: err.message, fieldErrors: err.fieldErrors });
    for (const secret of [founder.login, b.login, teamId]) expect(everything).not.toContain(secret);
  });
});
