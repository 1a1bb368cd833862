// The one-query session lookup behind every API call and page, on the real database.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSession, personForSession } from "@/lib/auth/sessions";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "@/lib/auth/session-cookie";
import { db } from "@/lib/db";

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
    const found = await personForSession(token);
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
