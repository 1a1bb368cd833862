// People who acted cannot be deleted: the append-only audit names them, and its foreign keys
// are ON DELETE RESTRICT (a SET NULL would be an UPDATE the trigger refuses anyway, with a
// confusing message). Deactivation is what an admin does instead: no sign-in, no session.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

const s = () => randomBytes(4).toString("hex");

async function someoneWhoActed() {
  const { db } = await import("@/lib/db");
  const { appendEvent } = await import("@/lib/audit");
  const { saveClusterSettings, loadClusterSettings } = await import("@/lib/clusters/cluster-settings");
  const id = s();
  const requester = await db.user.create({ data: { login: `req-${id}` } });
  const reviewer = await db.user.create({ data: { login: `rev-${id}`, role: "ADMIN" } });
  const team = await db.team.create({ data: { slug: `t-${id}`, name: `T ${id}` } });
  const cluster = await db.cluster.create({ data: { name: `c-${id}`, displayName: "c" } });
  const request = await db.runnerRequest.create({
    data: { status: "SUBMITTED", teamId: team.id, requesterId: requester.id, clusterId: cluster.id, label: `l-${id}`, namespace: "ns", spec: {} },
  });
  await appendEvent(db, { requestId: request.id, actorId: reviewer.id, type: "request_changes", message: "Please use fewer GPUs." });
  await saveClusterSettings(reviewer, cluster.id, await loadClusterSettings(cluster.id), 1);
  return { reviewer, request, cluster };
}

async function auditOf(requestId: string, clusterId: string) {
  const { db } = await import("@/lib/db");
  return {
    events: await db.requestEvent.findMany({ where: { requestId }, orderBy: { id: "asc" } }),
    settings: await db.clusterSettingsEvent.findMany({ where: { clusterId }, orderBy: { id: "asc" } }),
  };
}

describe("deleting a person who acted", () => {
  it("is refused by the database itself, and the audit still names them", async () => {
    const { db } = await import("@/lib/db");
    const { reviewer, request, cluster } = await someoneWhoActed();
    const before = await auditOf(request.id, cluster.id);
    expect(before.events.map((e) => e.actorId)).toContain(reviewer.id);
    expect(before.settings.map((e) => e.actorId)).toEqual([reviewer.id]);

    // A raw delete: the foreign key (RESTRICT), not the append-only trigger, answers.
    await expect(db.user.delete({ where: { id: reviewer.id } })).rejects.toMatchObject({ code: "P2003" });
    await expect(db.user.delete({ where: { id: reviewer.id } })).rejects.toThrow(/Foreign key constraint violated.*(RequestEvent|ClusterSettingsEvent)_actorId_fkey/s);
    expect(await auditOf(request.id, cluster.id)).toEqual(before);
    expect(await db.user.findUnique({ where: { id: reviewer.id } })).not.toBeNull();
  });

  it("lets someone who never acted go, sessions with them", async () => {
    const { db } = await import("@/lib/db");
    const bystander = await db.user.create({ data: { login: `by-${s()}`, sessions: { create: { sessionToken: s(), expires: new Date(Date.now() + 60_000) } } } });
    await db.user.delete({ where: { id: bystander.id } });
    expect(await db.user.findUnique({ where: { id: bystander.id } })).toBeNull();
    expect(await db.session.count({ where: { userId: bystander.id } })).toBe(0);
  });
});

describe("deactivating a person", () => {
  it("ends their sessions and refuses their next sign-in, and the audit is untouched", async () => {
    const { db } = await import("@/lib/db");
    const { deactivatePerson } = await import("@/lib/people/activation");
    const { authOptions } = await import("@/lib/auth/options");
    const { reviewer, request, cluster } = await someoneWhoActed();
    await db.session.create({ data: { userId: reviewer.id, sessionToken: s(), expires: new Date(Date.now() + 60_000) } });
    const before = await auditOf(request.id, cluster.id);
    const profile = { id: 1, login: reviewer.login, name: null, email: null, avatar_url: "" } as never;
    const account = { provider: "github", type: "oauth" as const, providerAccountId: "1" };
    const signIn = authOptions().callbacks!.signIn!;
    // The callback gets the adapter's user row, as next-auth passes it for a known account.
    expect(await signIn({ user: await db.user.findUniqueOrThrow({ where: { id: reviewer.id } }), account, profile })).toBe(true);

    // The People page's deactivation, by another admin.
    const admin = await db.user.create({ data: { login: `adm-${s()}`, role: "ADMIN" } });
    const actor = { id: admin.id, login: admin.login, name: null, role: "ADMIN" as const, teamIds: [] };
    expect(await deactivatePerson(actor, reviewer.id, [])).toEqual({ login: reviewer.login, active: false, sessionsEnded: 1 });
    expect(await db.session.count({ where: { userId: reviewer.id } })).toBe(0);
    expect(await signIn({ user: await db.user.findUniqueOrThrow({ where: { id: reviewer.id } }), account, profile })).toBe("/signin?error=Deactivated");
    expect(await auditOf(request.id, cluster.id)).toEqual(before);
  });
});
