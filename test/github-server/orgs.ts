// Organisations and teams: GET /orgs/{org}, membership checks (204/302/404 as
// GitHub documents them), organisation memberships, and team memberships.
import { orgMembership } from "./access";
import { requirePermission, requireUserOrInstallation } from "./auth";
import { fail, githubError, json, noContent, notFound, type Reply } from "./http";
import type { RequestContext, Router } from "./router";
import { organizationFull, organizationSimple, simpleUser } from "./shapes";
import { key, type OrgRecord } from "./state";

const DOC = {
  org: "https://docs.github.com/rest/orgs/orgs#get-an-organization",
  check: "https://docs.github.com/rest/orgs/members#check-organization-membership-for-a-user",
  checkPublic: "https://docs.github.com/rest/orgs/members#check-public-organization-membership-for-a-user",
  membership: "https://docs.github.com/rest/orgs/members#get-organization-membership-for-a-user",
  team: "https://docs.github.com/rest/teams/members#get-team-membership-for-a-user",
};

function requireOrg(ctx: RequestContext, docs: string): OrgRecord {
  const org = ctx.state.orgs.get(key(ctx.params.org ?? ""));
  if (!org) fail(notFound(docs));
  return org;
}

/**
 * Can the caller see the organisation's private membership? Members can; an
 * installation on the organisation can with the "members" permission.
 */
function callerSeesMembers(ctx: RequestContext, org: OrgRecord, docs: string): boolean {
  const p = requireUserOrInstallation(ctx, docs);
  if (p.kind === "user") return orgMembership(ctx.state, org.login, p.user.login) !== null;
  if (key(p.installation.account) !== key(org.login)) {
    fail(githubError(403, "Resource not accessible by integration", docs));
  }
  requirePermission(p.token, "members", "read", docs);
  return true;
}

export function registerOrgRoutes(router: Router): void {
  router.add("GET", "/orgs/{org}", (ctx) => {
    const org = requireOrg(ctx, DOC.org);
    const publicRepos = [...ctx.state.repos.values()].filter((r) => key(r.owner) === key(org.login) && !r.private).length;
    return json(200, organizationFull(ctx, org, publicRepos));
  });

  router.add("GET", "/orgs/{org}/members/{username}", (ctx): Reply => {
    const org = requireOrg(ctx, DOC.check);
    const username = ctx.params.username ?? "";
    if (!callerSeesMembers(ctx, org, DOC.check)) {
      // Non-members are sent to the public-membership check (302, per the docs).
      return { status: 302, headers: { location: `${ctx.apiBase}/orgs/${org.login}/public_members/${username}` } };
    }
    return orgMembership(ctx.state, org.login, username)
      ? noContent()
      : githubError(404, "User does not exist or is not a member of the organization", DOC.check);
  });

  router.add("GET", "/orgs/{org}/public_members/{username}", (ctx) => {
    const org = requireOrg(ctx, DOC.checkPublic);
    return orgMembership(ctx.state, org.login, ctx.params.username ?? "")?.public ? noContent() : notFound(DOC.checkPublic);
  });

  router.add("GET", "/orgs/{org}/memberships/{username}", (ctx) => {
    const org = requireOrg(ctx, DOC.membership);
    if (!callerSeesMembers(ctx, org, DOC.membership)) return notFound(DOC.membership);
    const user = ctx.state.users.get(key(ctx.params.username ?? ""));
    const membership = user ? orgMembership(ctx.state, org.login, user.login) : null;
    if (!user || !membership) return notFound(DOC.membership);
    return json(200, {
      url: `${ctx.apiBase}/orgs/${org.login}/memberships/${user.login}`,
      state: "active",
      role: membership.role,
      organization_url: `${ctx.apiBase}/orgs/${org.login}`,
      organization: organizationSimple(ctx, org),
      user: simpleUser(ctx, user),
    });
  });

  router.add("GET", "/orgs/{org}/teams/{team_slug}/memberships/{username}", (ctx) => {
    const org = requireOrg(ctx, DOC.team);
    if (!callerSeesMembers(ctx, org, DOC.team)) return notFound(DOC.team);
    const team = org.teams.get(key(ctx.params.team_slug ?? ""));
    const user = ctx.state.users.get(key(ctx.params.username ?? ""));
    const role = team && user ? team.members.get(key(user.login)) : undefined;
    if (!team || !user || !role) return notFound(DOC.team);
    return json(200, {
      url: `${ctx.apiBase}/organizations/${org.id}/team/${team.id}/memberships/${user.login}`,
      role,
      state: "active",
    });
  });
}
