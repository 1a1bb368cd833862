// Self-hosted runners: GET /orgs/{org}/actions/runners and
// GET /repos/{owner}/{repo}/actions/runners, with GitHub's access rules: users
// need admin rights, installations need organization_self_hosted_runners (org)
// or administration (repo).
import { orgMembership, repoRole } from "./access";
import { requirePermission, requireUserOrInstallation } from "./auth";
import { fail, githubError, json, notFound, paginate, type Reply } from "./http";
import { visibleRepo } from "./repos";
import type { RequestContext, Router } from "./router";
import { runner } from "./shapes";
import { key, type RunnerRecord } from "./state";

const DOC = {
  org: "https://docs.github.com/rest/actions/self-hosted-runners#list-self-hosted-runners-for-an-organization",
  repo: "https://docs.github.com/rest/actions/self-hosted-runners#list-self-hosted-runners-for-a-repository",
};

// GitHub really does say "Repository" here, even for the organisation endpoint.
const NOT_ADMIN = "Must have admin rights to Repository.";

function list(ctx: RequestContext, runners: RunnerRecord[]): Reply {
  const name = ctx.url.searchParams.get("name");
  const filtered = name ? runners.filter((r) => r.name === name) : runners;
  const { page, headers } = paginate(filtered, ctx.url);
  return json(200, { total_count: filtered.length, runners: page.map(runner) }, headers);
}

export function registerRunnerRoutes(router: Router): void {
  router.add("GET", "/orgs/{org}/actions/runners", (ctx) => {
    const p = requireUserOrInstallation(ctx, DOC.org);
    const org = ctx.state.orgs.get(key(ctx.params.org ?? ""));
    if (!org) return notFound(DOC.org);
    if (p.kind === "user") {
      if (orgMembership(ctx.state, org.login, p.user.login)?.role !== "admin") fail(githubError(403, NOT_ADMIN, DOC.org));
    } else {
      if (key(p.installation.account) !== key(org.login)) {
        fail(githubError(403, "Resource not accessible by integration", DOC.org));
      }
      requirePermission(p.token, "organization_self_hosted_runners", "read", DOC.org);
    }
    return list(ctx, ctx.state.runners.get(key(org.login)) ?? []);
  });

  router.add("GET", "/repos/{owner}/{repo}/actions/runners", (ctx) => {
    const repo = visibleRepo(ctx, DOC.repo);
    const p = ctx.principal();
    if (p.kind === "user") {
      if (repoRole(ctx.state, repo, p.user.login) !== "admin") fail(githubError(403, NOT_ADMIN, DOC.repo));
    } else if (p.kind === "installation") {
      requirePermission(p.token, "administration", "read", DOC.repo);
    }
    return list(ctx, ctx.state.runners.get(key(`${repo.owner}/${repo.name}`)) ?? []);
  });
}
