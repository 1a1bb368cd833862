import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { badRequest, conflict, notFoundError } from "@/lib/http-errors";
import { appendTeamEvent } from "./events";
import { addMemberSchema, githubLogin } from "./login";
import { lockTeamForChange, requireTeamAccess } from "./membership";

// Adding requires the person to have signed in to the portal once. A pending
// membership keyed by a login typed today would hand the team's requests to
// whoever holds that login when it first signs in: GitHub logins are renamed
// and freed, and a typo would wait silently. Signing in once is a minute's work
// and the added person then appears with their name, so the adder can see it is
// the right person.

const LAST_MEMBER_REFUSED =
  "A team needs at least one member: it is who can see the team's requests and add people. Add someone else first, then remove this member.";

function loginProblem(error: { issues: { message: string }[] }) {
  return badRequest(error.issues[0]?.message ?? "The GitHub login is not valid.", { login: error.issues.map((i) => i.message) });
}

/** Adds a person who has signed in before; body { login }. */
export async function addMember(actor: Actor, teamId: string, body: unknown) {
  // The team first: someone who may not see it learns nothing from their input's problems.
  requireTeamAccess(actor, teamId, "manage");
  const parsed = addMemberSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue && issue.path[0] === "login") throw loginProblem(parsed.error);
    throw badRequest('Send the GitHub login to add as { "login": "…" }.', { login: ["GitHub login is required"] });
  }
  const { login } = parsed.data;
  return db.$transaction(async (tx) => {
    const team = await lockTeamForChange(tx, actor, teamId);
    const user = await tx.user.findFirst({ where: { login: { equals: login, mode: "insensitive" } }, select: { id: true, login: true, role: true } });
    if (!user)
      throw badRequest(`Nobody with the GitHub login @${login} has signed in to the portal yet. Ask them to sign in once, then add them.`, {
        login: [`@${login} has not signed in to the portal yet`],
      });
    const existing = await tx.teamMembership.findUnique({ where: { teamId_userId: { teamId, userId: user.id } } });
    if (existing) throw conflict(`@${user.login} is already a member of ${team.name}.`, { login: [`@${user.login} is already a member`] });
    await tx.teamMembership.create({ data: { teamId, userId: user.id } });
    await appendTeamEvent(tx, { teamId, actorId: actor.id, action: "MEMBER_ADDED", targetLogin: user.login, targetRole: user.role === "REQUESTER" ? null : user.role });
    return { login: user.login };
  });
}

/** Removes a member, never the last one. */
export async function removeMember(actor: Actor, teamId: string, rawLogin: string) {
  requireTeamAccess(actor, teamId, "manage");
  const parsed = githubLogin.safeParse(rawLogin);
  if (!parsed.success) throw loginProblem(parsed.error);
  const login = parsed.data;
  return db.$transaction(async (tx) => {
    // The row lock makes concurrent changes to this team take turns, so the count below stays true until commit.
    const team = await lockTeamForChange(tx, actor, teamId);
    const membership = await tx.teamMembership.findFirst({
      where: { teamId, user: { login: { equals: login, mode: "insensitive" } } },
      select: { userId: true, user: { select: { login: true } } },
    });
    if (!membership) throw notFoundError(`@${login} is not a member of ${team.name}.`);
    const members = await tx.teamMembership.count({ where: { teamId } });
    if (members <= 1) throw conflict(`@${membership.user.login} is the last member of ${team.name}. ${LAST_MEMBER_REFUSED}`);
    await tx.teamMembership.delete({ where: { teamId_userId: { teamId, userId: membership.userId } } });
    await appendTeamEvent(tx, { teamId, actorId: actor.id, action: "MEMBER_REMOVED", targetLogin: membership.user.login });
    return { login: membership.user.login, self: membership.userId === actor.id };
  });
}
