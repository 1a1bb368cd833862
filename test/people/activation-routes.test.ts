// Deactivating and reactivating people through the real route handlers (gate included) and a
// real database: who may, refusals in words with nothing written, the append-only PersonEvent
// audit, and a deactivated person's surviving session that no longer names anyone.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { createSession, personForSession } from "@/lib/auth/sessions";
import { db } from "@/lib/db";
import { people, suffix, type People } from "@/test/provision/fixtures";

const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ currentActor: async () => signedIn.actor }));

// env() is parsed on first use, so this login is in ADMIN_LOGINS for the whole file.
const LISTED = `listed-admin-${suffix()}`;
process.env.ADMIN_LOGINS = [process.env.ADMIN_LOGINS, LISTED].filter(Boolean).join(",");

const deactivate = await import("@/app/api/admin/people/[id]/deactivate/route");
const reactivate = await import("@/app/api/admin/people/[id]/reactivate/route");

let p: People;
let admin: Actor;

beforeAll(async () => {
  p = await people();
  const row = await db.user.create({ data: { login: `people-admin-${suffix()}`, role: "ADMIN" } });
  admin = { id: row.id, login: row.login, name: null, role: "ADMIN", teamIds: [] };
});

const as = (actor: Actor | null) => (signedIn.actor = actor);
const post = (route: { POST: typeof deactivate.POST }, id: string) =>
  route.POST(new Request(`http://portal.test/api/admin/people/${encodeURIComponent(id)}/x`, { method: "POST" }), { params: Promise.resolve({ id }) });

async function someone(login = `person-${suffix()}`) {
  const user = await db.user.create({ data: { login, role: "REQUESTER" } });
  const team = await db.team.create({ data: { slug: `pt-${suffix()}`, name: `People team ${suffix()}` } });
  await db.teamMembership.create({ data: { teamId: team.id, userId: user.id } });
  const { token } = await createSession(user.id);
  return { user, token, teamId: team.id };
}

/** Everything a refusal must leave as it was. */
async function snapshot(userId: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { deactivatedAt: true, role: true } });
  return {
    user,
    sessions: await db.session.count({ where: { userId } }),
    memberships: await db.teamMembership.count({ where: { userId } }),
    events: await db.personEvent.count(),
  };
}

describe("deactivating and reactivating a person", () => {
  it("deactivates: sessions end, the session yields no actor, memberships stay, one DEACTIVATED event; then reactivates", async () => {
    const { user, token } = await someone();
    await createSession(user.id);
    expect(await personForSession(token)).not.toBeNull();

    as(admin);
    const res = await post(deactivate, user.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ login: user.login, active: false, sessionsEnded: 2 });

    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.deactivatedAt).toBeInstanceOf(Date);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.teamMembership.count({ where: { userId: user.id } })).toBe(1);
    expect(await personForSession(token)).toBeNull();

    const events = await db.personEvent.findMany({ where: { userId: user.id } });
    expect(events).toEqual([expect.objectContaining({ actorId: admin.id, action: "DEACTIVATED", sessionsEnded: 2, note: null })]);

    // Twice is refused in words, and writes nothing more.
    const before = await snapshot(user.id);
    const again = await post(deactivate, user.id);
    expect(again.status).toBe(409);
    expect((await again.json()).error).toBe(`@${user.login} is already deactivated.`);
    expect(await snapshot(user.id)).toEqual(before);

    const back = await post(reactivate, user.id);
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual({ login: user.login, active: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).deactivatedAt).toBeNull();
    const all = await db.personEvent.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(all.map((e) => [e.action, e.actorId])).toEqual([
      ["DEACTIVATED", admin.id],
      ["REACTIVATED", admin.id],
    ]);
    // A new sign-in works again (the old sessions stay ended).
    const { token: fresh } = await createSession(user.id);
    expect((await personForSession(fresh))?.id).toBe(user.id);
    expect(await personForSession(token)).toBeNull();

    const activeAgain = await snapshot(user.id);
    const reReactivate = await post(reactivate, user.id);
    expect(reReactivate.status).toBe(409);
    expect(await snapshot(user.id)).toEqual(activeAgain);
  });

  it("refuses an admin deactivating themselves (409 with a reason), writing nothing", async () => {
    const { token } = await createSession(admin.id);
    const before = await snapshot(admin.id);
    as(admin);
    const res = await post(deactivate, admin.id);
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatch(/^You cannot deactivate yourself/);
    expect(await snapshot(admin.id)).toEqual(before);
    expect((await personForSession(token))?.id).toBe(admin.id);
  });

  it("answers 404 for an unknown id and 400 for a malformed one, writing nothing", async () => {
    as(admin);
    const events = await db.personEvent.count();
    for (const route of [deactivate, reactivate]) {
      const unknown = await post(route, `c${randomBytes(12).toString("hex")}`);
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error).toBe("That person does not exist.");
      for (const bad of ["a b", "x".repeat(65), "\u0000", "../etc", ""]) {
        const res = await post(route, bad);
        expect(res.status).toBe(400);
        const body = await res.json();
        expect(body.error).toBe("That is not a person's id: open the person from the People page.");
        expect(JSON.stringify(body)).not.toContain("stack");
      }
    }
    expect(await db.personEvent.count()).toBe(events);
  });

  it("answers 401 to nobody and 403 to requesters and reviewers, writing nothing", async () => {
    const { user, token } = await someone();
    const before = await snapshot(user.id);
    for (const [actor, status] of [
      [null, 401],
      [p.requester, 403],
      [p.reviewer, 403],
    ] as const) {
      as(actor);
      expect((await post(deactivate, user.id)).status).toBe(status);
      expect((await post(reactivate, user.id)).status).toBe(status);
    }
    expect(await snapshot(user.id)).toEqual(before);
    expect((await personForSession(token))?.id).toBe(user.id);
  });

  it("warns when ADMIN_LOGINS still names the person, deactivates anyway, and keeps the warning in the audit", async () => {
    const { user } = await someone(LISTED);
    as(admin);
    const res = await post(deactivate, user.id);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.warning).toMatch(new RegExp(`^ADMIN_LOGINS still names @${LISTED}\\. Deactivation wins`));
    const [event] = await db.personEvent.findMany({ where: { userId: user.id } });
    expect(event?.note).toBe(body.warning);
  });

  it("keeps PersonEvent append-only: the database refuses update and delete", async () => {
    const { user } = await someone();
    as(admin);
    await post(deactivate, user.id);
    const event = await db.personEvent.findFirstOrThrow({ where: { userId: user.id } });
    await expect(db.personEvent.update({ where: { id: event.id }, data: { note: "rewritten" } })).rejects.toThrow(/append-only/);
    await expect(db.personEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    // Nor can the person be deleted from under their audit.
    await expect(db.user.delete({ where: { id: user.id } })).rejects.toMatchObject({ code: "P2003" });
    expect(await db.personEvent.findUniqueOrThrow({ where: { id: event.id } })).toEqual(event);
  });
});

describe("personForSession and a surviving session row", () => {
  it("yields no actor for a deactivated person even if a session row survived", async () => {
    const { user, token } = await someone();
    // As if a sign-in raced the deactivation: the flag is set, a session row is still there.
    await db.user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() } });
    expect(await db.session.count({ where: { sessionToken: token } })).toBe(1);
    expect(await personForSession(token)).toBeNull();
  });
});

describe("a deactivation another site's page sent (the gate's Origin check)", () => {
  const from = (id: string, headers: Record<string, string>) =>
    deactivate.POST(new Request(`http://portal.test/api/admin/people/${id}/deactivate`, { method: "POST", headers: { host: "portal.test", ...headers } }), {
      params: Promise.resolve({ id }),
    });

  it("refuses it with 403 in words for an admin's own cookie, writing nothing; the portal's own pages and non-browser clients pass", async () => {
    const { user } = await someone();
    const before = await snapshot(user.id);
    as(admin);
    const crossSite: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      { "sec-fetch-site": "same-site", origin: "https://other.portal.test" }, // a sibling subdomain is another site's page too
      { "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example" }, // a browser without Sec-Fetch-Site
      { origin: "http://portal.test.evil.example" },
      { origin: "null" }, // a sandboxed frame
    ];
    for (const headers of crossSite) {
      const res = await from(user.id, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await res.json()).error).toMatch(/^This change was sent from another site.*so the portal refused it\. Make it from the portal's own pages\.$/);
    }
    expect(await snapshot(user.id)).toEqual(before);

    // The portal's own page (the browser says same-origin, or only sends the matching Origin).
    expect((await from(user.id, { "sec-fetch-site": "same-origin", origin: "http://portal.test" })).status).toBe(200);
    expect((await post(reactivate, user.id)).status).toBe(200); // no Origin, no Sec-Fetch-Site: not a browser
    expect((await from(user.id, { origin: "http://portal.test" })).status).toBe(200);
    expect((await from(`c${randomBytes(12).toString("hex")}`, { origin: process.env.NEXTAUTH_URL ?? "http://localhost:3000" })).status).toBe(404);
  });
});
