import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { requireTeamAccess, teamNotFound, type TeamAccess } from "./membership";

export interface TeamSummary {
  id: string;
  name: string;
  members: string[];
  memberCount: number;
  requestCount: number;
}

export interface TeamMember {
  login: string;
  name: string | null;
  since: string;
}

export interface TeamHistoryEvent {
  id: string;
  action: "TEAM_CREATED" | "MEMBER_ADDED" | "MEMBER_REMOVED";
  actor: string | null;
  target: string;
  /** The target was a reviewer or admin then: staff joining a team can approve nothing of it. */
  targetRole: "REVIEWER" | "ADMIN" | null;
  at: string;
}

export interface TeamView {
  id: string;
  name: string;
  slug: string;
  createdAt: string;
  access: TeamAccess;
  members: TeamMember[];
  requestCount: number;
  requests: { id: string; label: string; status: string; createdAt: string }[];
  history: TeamHistoryEvent[];
}

const HISTORY_SHOWN = 100;
const REQUESTS_SHOWN = 20;

function summaries(
  teams: { id: string; name: string; members: { user: { login: string } }[]; _count: { members: number; requests: number } }[],
): TeamSummary[] {
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    members: t.members.map((m) => m.user.login),
    memberCount: t._count.members,
    requestCount: t._count.requests,
  }));
}

const summarySelect = {
  id: true,
  name: true,
  members: { select: { user: { select: { login: true } } }, orderBy: { createdAt: "asc" as const } },
  _count: { select: { members: true, requests: true } },
};

/** The teams the person is a member of, by name. */
export async function listMyTeams(actor: Actor): Promise<TeamSummary[]> {
  return summaries(await db.team.findMany({ where: { members: { some: { userId: actor.id } } }, select: summarySelect, orderBy: { name: "asc" } }));
}

/** Every team, for the admins' overview (the page's own gate is the admin policy). */
export async function listAllTeams(): Promise<TeamSummary[]> {
  return summaries(await db.team.findMany({ select: summarySelect, orderBy: { name: "asc" } }));
}

/** One team with its members, requests and membership history; 404 for anyone who may not see it. */
export async function teamView(actor: Actor, teamId: string): Promise<TeamView> {
  const access = requireTeamAccess(actor, teamId, "view");
  const team = await db.team.findUnique({
    where: { id: teamId },
    select: {
      id: true,
      name: true,
      slug: true,
      createdAt: true,
      members: { select: { createdAt: true, user: { select: { login: true, name: true } } }, orderBy: { createdAt: "asc" } },
      _count: { select: { requests: true } },
      requests: { select: { id: true, label: true, status: true, createdAt: true }, orderBy: { createdAt: "desc" }, take: REQUESTS_SHOWN },
      events: {
        select: { id: true, action: true, targetLogin: true, targetRole: true, createdAt: true, actor: { select: { login: true } } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: HISTORY_SHOWN,
      },
    },
  });
  if (!team) throw teamNotFound();
  return {
    id: team.id,
    name: team.name,
    slug: team.slug,
    createdAt: team.createdAt.toISOString(),
    access,
    members: team.members.map((m) => ({ login: m.user.login, name: m.user.name, since: m.createdAt.toISOString() })),
    requestCount: team._count.requests,
    requests: team.requests.map((r) => ({ id: r.id, label: r.label, status: r.status, createdAt: r.createdAt.toISOString() })),
    history: team.events.map((e) => ({
      id: e.id,
      action: e.action,
      actor: e.actor?.login ?? null,
      target: e.targetLogin,
      targetRole: e.targetRole === "REQUESTER" ? null : e.targetRole,
      at: e.createdAt.toISOString(),
    })),
  };
}

/**
 * The team's members who are reviewers or admins (their stored role: lowered at start-up when the
 * lists drop them, rewritten at each sign-in). Shown to reviewers next to the team's requests.
 */
export async function teamStaff(teamId: string): Promise<{ login: string; role: "REVIEWER" | "ADMIN" }[]> {
  const members = await db.teamMembership.findMany({
    where: { teamId, user: { role: { in: ["REVIEWER", "ADMIN"] }, deactivatedAt: null } },
    select: { user: { select: { login: true, role: true } } },
    orderBy: { createdAt: "asc" },
  });
  return members.map((m) => ({ login: m.user.login, role: m.user.role as "REVIEWER" | "ADMIN" }));
}
