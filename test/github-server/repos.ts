// Repositories: GET /repos/{owner}/{repo} (with the caller's permissions hash)
// and GET /repos/{owner}/{repo}/collaborators/{username}/permission.
import { accountJson, canSeeRepo, legacyPermission, permissionsHash, repoRole } from "./access";
import { requireUserOrInstallation } from "./auth";
import { fail, json, notFound } from "./http";
import type { RequestContext, Router } from "./router";
import { repository, simpleUser } from "./shapes";
import { key, repoKey, type RepoRecord } from "./state";

const DOC = {
  repo: "https://docs.github.com/rest/repos/repos#get-a-repository",
  permission: "https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user",
};

/** The repository if the caller may see it; GitHub hides the rest behind 404. */
export function visibleRepo(ctx: RequestContext, docs: string): RepoRecord {
  const p = requireUserOrInstallation(ctx, docs);
  const repo = ctx.state.repos.get(repoKey(ctx.params.owner ?? "", ctx.params.repo ?? ""));
  if (!repo || !canSeeRepo(ctx.state, p, repo)) fail(notFound(docs));
  return repo;
}

export function registerRepoRoutes(router: Router): void {
  router.add("GET", "/repos/{owner}/{repo}", (ctx) => {
    const repo = visibleRepo(ctx, DOC.repo);
    const p = ctx.principal();
    const permissions = p.kind === "user" ? permissionsHash(repoRole(ctx.state, repo, p.user.login)) : undefined;
    return json(200, repository(ctx, repo, accountJson(ctx, ctx.state, repo.owner)!, permissions));
  });

  router.add("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission", (ctx) => {
    const repo = visibleRepo(ctx, DOC.permission);
    const user = ctx.state.users.get(key(ctx.params.username ?? ""));
    if (!user) return notFound(DOC.permission);
    const role = repoRole(ctx.state, repo, user.login);
    // role_name is "" for a user with no access, as GitHub answers; a custom role's own name
    // when that role is what gives the access (permission stays its base role's).
    const custom = role === repo.collaborators.get(key(user.login)) ? repo.customRoles.get(key(user.login)) : undefined;
    const roleName = custom ?? role ?? "";
    return json(200, {
      permission: legacyPermission(role),
      role_name: roleName,
      user: { ...simpleUser(ctx, user), permissions: permissionsHash(role), role_name: roleName },
    });
  });
}
