import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { RequestStatus } from "@/lib/generated/prisma/enums";
import { act } from "@/lib/requests/actions";
import { createRequest } from "@/lib/requests/create";
import { listRequests } from "@/lib/requests/queries";
import { reviewQueue } from "@/lib/requests/review-queue";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import { makeActor, requestBody } from "./fixtures";

// The two hot lists are single SQL statements (for `npm run bench`). Each is
// checked against the straightforward Prisma query it replaced, row for row,
// and for who sees what.

/** My requests as the Prisma query wrote it before it became SQL. */
async function referenceList(teamIds: string[] | null) {
  const rows = await db.runnerRequest.findMany({
    where: teamIds ? { teamId: { in: teamIds } } : {},
    orderBy: { createdAt: "desc" },
    take: 200,
    select: { id: true, number: true, status: true, label: true, namespace: true, spec: true, createdAt: true, updatedAt: true, team: { select: { name: true } }, cluster: { select: { name: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    status: r.status,
    label: r.label,
    namespace: r.namespace,
    team: r.team.name,
    cluster: r.cluster.name,
    gpus: (r.spec as unknown as StoredSpec).gpus,
    maxRunners: (r.spec as unknown as StoredSpec).maxRunners,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** The review queue as the Prisma query wrote it. */
async function referenceQueue(status: RequestStatus | "ALL", team: string) {
  const rows = await db.runnerRequest.findMany({
    where: { ...(status === "ALL" ? { status: { not: "DRAFT" } } : { status }), team: { slug: team } },
    orderBy: [{ submittedAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
    take: 500,
    select: { id: true, number: true, status: true, reviewKind: true, label: true, namespace: true, spec: true, submittedAt: true, createdAt: true, team: { select: { slug: true, name: true } }, requester: { select: { login: true } }, cluster: { select: { name: true } }, preferredCluster: { select: { name: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    status: r.status,
    reviewKind: r.reviewKind,
    label: r.label,
    namespace: r.namespace,
    team: r.team,
    requester: r.requester.login,
    cluster: r.cluster.name,
    preferredCluster: r.preferredCluster?.name ?? null,
    gpus: (r.spec as unknown as StoredSpec).gpus,
    maxRunners: (r.spec as unknown as StoredSpec).maxRunners,
    waitingSince: (r.submittedAt ?? r.createdAt).toISOString(),
  }));
}

async function teamWithRequests(): Promise<{ slug: string; member: Actor; ids: string[] }> {
  const slug = `lists-${randomBytes(4).toString("hex")}`;
  const member = await makeActor({ team: slug });
  const ids: string[] = [];
  for (const [i, mode] of (["submit", "draft", "submit", "submit"] as const).entries()) {
    const { id } = await createRequest(member, requestBody({ team: slug, gpus: i, maxRunners: 3 + i }), mode);
    ids.push(id);
  }
  return { slug, member, ids };
}

describe("the hot lists", () => {
  it("My requests: a member sees their teams' requests, drafts included, newest first, exactly as before", async () => {
    const a = await teamWithRequests();
    const b = await teamWithRequests();
    const mine = await listRequests(a.member);
    expect(mine.map((r) => r.id)).toEqual([...a.ids].reverse());
    expect(mine).toEqual(await referenceList(a.member.teamIds));
    expect(mine.map((r) => [r.gpus, r.maxRunners])).toEqual([[3, 6], [2, 5], [1, 4], [0, 3]]);
    expect(mine.every((r) => r.team === a.slug && r.cluster.length > 0)).toBe(true);
    expect(mine.some((r) => b.ids.includes(r.id))).toBe(false);
    // Someone in no team sees nothing; a reviewer sees every team's.
    expect(await listRequests(await makeActor())).toEqual([]);
    const reviewer = await makeActor({ role: "REVIEWER" });
    const all = (await listRequests(reviewer)).map((r) => r.id);
    expect(all).toEqual(expect.arrayContaining([...a.ids, ...b.ids]));
    // Their own page ("mine only") is their teams', like anyone's.
    const reviewerInA = { ...reviewer, teamIds: a.member.teamIds };
    expect(await listRequests(reviewerInA, { mineOnly: true })).toEqual(await referenceList(a.member.teamIds));
  });

  it("the review queue: oldest first, drafts never, filters by status and team, exactly as before", async () => {
    const a = await teamWithRequests();
    const reviewer = await makeActor({ role: "REVIEWER" });
    await act(reviewer, a.ids[2]!, { action: "request_changes", reason: "smaller please" });
    for (const status of ["ALL", "SUBMITTED", "CHANGES_REQUESTED", "DRAFT", "READY"] as const) {
      expect(await reviewQueue({ status, team: a.slug }), status).toEqual(await referenceQueue(status, a.slug));
    }
    const all = await reviewQueue({ status: "ALL", team: a.slug });
    expect(all.map((r) => r.id)).toEqual([a.ids[0], a.ids[2], a.ids[3]]);
    expect(all[0]).toMatchObject({ status: "SUBMITTED", reviewKind: "NEW", team: { slug: a.slug, name: a.slug }, requester: a.member.login, gpus: 0, maxRunners: 3 });
    expect((await reviewQueue({ status: "SUBMITTED", team: a.slug })).map((r) => r.id)).toEqual([a.ids[0], a.ids[3]]);
    expect(await reviewQueue({ status: "ALL", team: "no-such-team" })).toEqual([]);
    const everyone = await reviewQueue({ status: "SUBMITTED" });
    expect(everyone.map((r) => r.id)).toEqual(expect.arrayContaining([a.ids[0], a.ids[3]]));
    const waiting = everyone.map((r) => r.waitingSince);
    expect(waiting).toEqual([...waiting].sort());
  });
});
