import { randomBytes } from "node:crypto";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";

import { INSTALLATION, PORTAL_APP } from "@/test/harness/github-world";

/** The key of the App the local GitHub server knows (test/harness/global-setup.ts). */
export const testPem = process.env.TEST_GITHUB_APP_PEM!;

/** A person in the database, optionally in a team, as the gate would see them. */
export async function makeActor(opts: { role?: Role; team?: string } = {}): Promise<Actor> {
  const login = `u-${randomBytes(5).toString("hex")}`;
  const user = await db.user.create({ data: { login, role: opts.role ?? "REQUESTER" } });
  const teamIds: string[] = [];
  if (opts.team) {
    const team = await db.team.upsert({ where: { slug: opts.team }, update: {}, create: { slug: opts.team, name: opts.team } });
    await db.teamMembership.create({ data: { teamId: team.id, userId: user.id } });
    teamIds.push(team.id);
  }
  return { id: user.id, login, name: null, role: user.role, teamIds };
}

let n = 0;
/** A valid form body; each call gets its own label and namespace unless given. */
export function requestBody(over: Record<string, unknown> = {}) {
  n += 1;
  const suffix = `${process.pid}-${Date.now() % 100000}-${n}`;
  return {
    team: "team-x",
    contact: "lead@example.com",
    githubConfigUrl: "https://github.com/example-org",
    label: `gpu-${suffix}`,
    namespace: `arc-${suffix}`,
    memory: "64Gi",
    cpu: "8",
    gpus: 1,
    minRunners: 0,
    maxRunners: 3,
    docker: false,
    githubApp: { appId: String(PORTAL_APP.id), installationId: String(INSTALLATION["example-org"]), privateKey: testPem },
    ...over,
  };
}

/** Every row of the tables a request touches, for "nothing changed" assertions. */
export async function snapshot() {
  const [requests, events, claims, teams, memberships, namespaceClaims] = await Promise.all([
    db.runnerRequest.findMany({ orderBy: { id: "asc" } }),
    db.requestEvent.findMany({ orderBy: { id: "asc" } }),
    db.labelClaim.findMany({ orderBy: { requestId: "asc" } }),
    db.team.findMany({ orderBy: { id: "asc" } }),
    db.teamMembership.findMany({ orderBy: [{ teamId: "asc" }, { userId: "asc" }] }),
    db.namespaceClaim.findMany({ orderBy: [{ clusterId: "asc" }, { namespace: "asc" }] }),
  ]);
  return { requests, events, claims, teams, memberships, namespaceClaims };
}
