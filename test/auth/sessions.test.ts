// The one-query session lookup behind every API call and page, on the real database.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSession, personForSession } from "@/lib/auth/sessions";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "@/lib/auth/session-cookie";
import { lowerStaleRoles } from "@/lib/auth/role-lists";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

const unique = () => randomBytes(4).toString("hex");
const DAY = 24 * 60 * 60 * 1000;

async function person(role: "REQUESTER" | "REVIEWER" = "REQUESTER", teams = 0) {
  const id = unique();
  const user = await db.user.create({ data: { login: `sess-${id}`, name: `Person ${id}`, role } });
  const teamIds: string[] = [];
  for (let i = 0; i < teams; i++) {
    const team = await db.team.create({ data: { slug: `sess-${id}-${i}`, name: `Team ${id} ${i}` } });
    await db.teamMembership.create({ data: { teamId: team.id, userId: user.id } });
    teamIds.push(team.id);
  }
  return { user, teamIds };
}

async function sessionExpiring(userId: string, expires: Date) {
  const token = randomBytes(32).toString("hex");
  await db.session.create({ data: { sessionToken: token, userId, expires } });
  return token;
}

describe("personForSession", () => {
  it("resolves a token to the person, their role and all their teams", async () => {
    const { user, teamIds } = await person("REVIEWER", 2);
    const { token } = await createSession(user.id);
    const found = await personForSession(token, { admins: [], reviewers: [user.login] });
    expect(found).toEqual({ id: user.id, login: user.login, name: user.name, role: "REVIEWER", teamIds: expect.any(Array) });
    expect([...found!.teamIds].sort()).toEqual([...teamIds].sort());
  });

  it("gives an empty team list to someone in no team, and nobody for an unknown token", async () => {
    const { user } = await person();
    const { token } = await createSession(user.id);
    expect((await personForSession(token))?.teamIds).toEqual([]);
    expect(await personForSession(randomBytes(32).toString("hex"))).toBeNull();
  });

  it("treats an expired session as nobody and deletes it, as next-auth does", async () => {
    const { user } = await person();
    const token = await sessionExpiring(user.id, new Date(Date.now() - 1000));
    expect(await personForSession(token)).toBeNull();
    expect(await db.session.findUnique({ where: { sessionToken: token } })).toBeNull();
  });

  it("extends a session to a full maxAge once a day has passed since it was last extended, and not before", async () => {
    const { user } = await person();
    const maxAge = SESSION_MAX_AGE_SECONDS * 1000;
    expect(SESSION_UPDATE_AGE_SECONDS * 1000).toBe(DAY);

    const fresh = new Date(Date.now() + maxAge - DAY / 2); // extended 12 hours ago
    const freshToken = await sessionExpiring(user.id, fresh);
    expect(await personForSession(freshToken)).not.toBeNull();
    expect((await db.session.findUnique({ where: { sessionToken: freshToken } }))!.expires).toEqual(fresh);

    const due = new Date(Date.now() + maxAge - DAY - 60_000); // extended a day and a minute ago
    const dueToken = await sessionExpiring(user.id, due);
    const before = Date.now();
    expect(await personForSession(dueToken)).not.toBeNull();
    const extended = (await db.session.findUnique({ where: { sessionToken: dueToken } }))!.expires.getTime();
    expect(extended).toBeGreaterThanOrEqual(before + maxAge);
    expect(extended).toBeLessThanOrEqual(Date.now() + maxAge);
  });
});

describe("roles and lifetime (issue 15, item 3)", () => {
  it("recomputes the role from the configured lists on every lookup, the cached row included", async () => {
    const { user } = await person("REQUESTER");
    await db.user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
    const { token } = await createSession(user.id);
    expect((await personForSession(token, { admins: [user.login], reviewers: [] }))!.role).toBe("ADMIN");
    // Removed from ADMIN_LOGINS (and the portal restarted): no longer an admin, although the stored role says so.
    expect((await personForSession(token, { admins: [], reviewers: [user.login] }))!.role).toBe("REVIEWER");
    expect((await personForSession(token, { admins: [], reviewers: [] }))!.role).toBe("REQUESTER");
    // Outside the lists, only REVIEWER_TEAM grants a role (asked at sign-in); ADMIN never comes from it.
    expect((await personForSession(token, { admins: [], reviewers: [], reviewerTeam: "org/reviewers" }))!.role).toBe("REVIEWER");
  });

  it("ends a session SESSION_MAX_LIFETIME_HOURS after sign-in however recently it was extended, and deletes it", async () => {
    const { user } = await person("REVIEWER");
    const token = randomBytes(32).toString("hex");
    const lifetime = env().SESSION_MAX_LIFETIME_HOURS * 3_600_000;
    expect(env().SESSION_MAX_LIFETIME_HOURS).toBe(24);
    await db.session.create({ data: { sessionToken: token, userId: user.id, expires: new Date(Date.now() + DAY), createdAt: new Date(Date.now() - lifetime - 1000) } });
    expect(await personForSession(token)).toBeNull();
    expect(await db.session.findUnique({ where: { sessionToken: token } })).toBeNull();

    const young = randomBytes(32).toString("hex");
    await db.session.create({ data: { sessionToken: young, userId: user.id, expires: new Date(Date.now() + DAY), createdAt: new Date(Date.now() - lifetime + 60_000) } });
    expect(await personForSession(young)).not.toBeNull();
  });

  it("lowers stored roles at start-up that the lists no longer grant, and only those", async () => {
    const admin = (await person("REQUESTER")).user;
    await db.user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
    const reviewer = (await person("REVIEWER")).user;
    const kept = (await person("REVIEWER")).user;
    const lists = { admins: [], reviewers: [kept.login] };
    const lowered = await lowerStaleRoles(lists);
    expect(lowered).toEqual(expect.arrayContaining([
      { login: admin.login, from: "ADMIN", to: "REQUESTER" },
      { login: reviewer.login, from: "REVIEWER", to: "REQUESTER" },
    ]));
    const roles = await db.user.findMany({ where: { id: { in: [admin.id, reviewer.id, kept.id] } }, select: { id: true, role: true } });
    expect(Object.fromEntries(roles.map((r) => [r.id, r.role]))).toEqual({ [admin.id]: "REQUESTER", [reviewer.id]: "REQUESTER", [kept.id]: "REVIEWER" });
    // With REVIEWER_TEAM configured, a reviewer outside the lists may be the team's: kept; a former admin becomes a reviewer.
    const teamReviewer = (await person("REVIEWER")).user;
    const exAdmin = (await person("REQUESTER")).user;
    await db.user.update({ where: { id: exAdmin.id }, data: { role: "ADMIN" } });
    await lowerStaleRoles({ admins: [], reviewers: [], reviewerTeam: "org/reviewers" });
    expect((await db.user.findUniqueOrThrow({ where: { id: teamReviewer.id } })).role).toBe("REVIEWER");
    expect((await db.user.findUniqueOrThrow({ where: { id: exAdmin.id } })).role).toBe("REVIEWER");
  });
});
