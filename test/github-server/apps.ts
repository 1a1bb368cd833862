// GitHub App endpoints: the JWT-authenticated /app routes, installation lookups
// by org/user/repo, installation access tokens, and /installation/repositories.
import { accountJson, installationCovers, tokenRepos } from "./access";
import { requireApp } from "./auth";
import { githubError, json, noContent, notFound, paginate, type Reply } from "./http";
import type { RequestContext, Router } from "./router";
import { installation as installationJson, integration, repository } from "./shapes";
import { key, type AppPermissions, type AppRecord, type GitHubState, type InstallationRecord } from "./state";
import { newToken } from "./tokens";

const DOC = {
  app: "https://docs.github.com/rest/apps/apps#get-the-authenticated-app",
  list: "https://docs.github.com/rest/apps/apps#list-installations-for-the-authenticated-app",
  get: "https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app",
  org: "https://docs.github.com/rest/apps/apps#get-an-organization-installation-for-the-authenticated-app",
  repo: "https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app",
  user: "https://docs.github.com/rest/apps/apps#get-a-user-installation-for-the-authenticated-app",
  token: "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app",
  repos: "https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation",
  revoke: "https://docs.github.com/rest/apps/installations#revoke-an-installation-access-token",
};

/** Installation access tokens live for one hour on GitHub. */
export const INSTALLATION_TOKEN_TTL_MS = 60 * 60 * 1000;

const LEVEL_RANK: Record<string, number> = { read: 1, write: 2, admin: 3 };

function renderInstallation(ctx: RequestContext, inst: InstallationRecord, app: AppRecord) {
  return installationJson(ctx, inst, app, accountJson(ctx, ctx.state, inst.account)!);
}

function installationsOf(state: GitHubState, app: AppRecord): InstallationRecord[] {
  return [...state.installations.values()].filter((i) => i.appId === app.id).sort((a, b) => a.id - b.id);
}

/** GitHub's timestamps have no milliseconds: "2016-07-11T22:14:10Z". */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function registerAppRoutes(router: Router): void {
  router.add("GET", "/app", (ctx) => {
    const app = requireApp(ctx, DOC.app);
    const owner = app.owner ? accountJson(ctx, ctx.state, app.owner) : null;
    return json(200, integration(ctx, app, owner, installationsOf(ctx.state, app).length));
  });

  router.add("GET", "/app/installations", (ctx) => {
    const app = requireApp(ctx, DOC.list);
    const all = installationsOf(ctx.state, app).map((i) => renderInstallation(ctx, i, app));
    const { page, headers } = paginate(all, ctx.url);
    return json(200, page, headers);
  });

  router.add("GET", "/app/installations/{installation_id}", (ctx) => {
    const app = requireApp(ctx, DOC.get);
    const inst = ctx.state.installations.get(Number(ctx.params.installation_id));
    if (!inst || inst.appId !== app.id) return notFound(DOC.get);
    return json(200, renderInstallation(ctx, inst, app));
  });

  router.add("GET", "/orgs/{org}/installation", (ctx) => {
    const app = requireApp(ctx, DOC.org);
    const org = ctx.state.orgs.get(key(ctx.params.org ?? ""));
    const inst = org && installationsOf(ctx.state, app).find((i) => key(i.account) === key(org.login));
    if (!inst) return notFound(DOC.org);
    return json(200, renderInstallation(ctx, inst, app));
  });

  router.add("GET", "/users/{username}/installation", (ctx) => {
    const app = requireApp(ctx, DOC.user);
    const inst = installationsOf(ctx.state, app).find((i) => key(i.account) === key(ctx.params.username ?? ""));
    if (!inst) return notFound(DOC.user);
    return json(200, renderInstallation(ctx, inst, app));
  });

  router.add("GET", "/repos/{owner}/{repo}/installation", (ctx) => {
    const app = requireApp(ctx, DOC.repo);
    const owner = ctx.params.owner ?? "";
    const name = ctx.params.repo ?? "";
    // An installation that exists on the owner but not on this repository is a 404 too.
    const inst = installationsOf(ctx.state, app).find((i) => installationCovers(ctx.state, i, owner, name));
    if (!inst) return notFound(DOC.repo);
    return json(200, renderInstallation(ctx, inst, app));
  });

  router.add("POST", "/app/installations/{installation_id}/access_tokens", async (ctx): Promise<Reply> => {
    const app = requireApp(ctx, DOC.token);
    const inst = ctx.state.installations.get(Number(ctx.params.installation_id));
    if (!inst || inst.appId !== app.id) return notFound(DOC.token);
    if (inst.suspended) return githubError(403, "This installation has been suspended", DOC.token);
    const body = await ctx.body();

    // Optional narrowing by repository names/ids: each must be covered.
    const covered = tokenRepos(ctx.state, inst, null);
    let repositories: string[] | null = null;
    const names = Array.isArray(body.repositories) ? body.repositories.map(String) : [];
    const ids = Array.isArray(body.repository_ids) ? body.repository_ids.map(Number) : [];
    if (names.length || ids.length) {
      const picked = [
        ...names.map((n) => covered.find((r) => key(r.name) === key(n))),
        ...ids.map((id) => covered.find((r) => r.id === id)),
      ];
      if (picked.some((r) => !r)) {
        return githubError(
          422,
          "There is at least one repository that does not exist or is not accessible to the parent installation.",
          DOC.token,
        );
      }
      repositories = [...new Set(picked.map((r) => r!.name))];
    }

    // Optional narrowing of permissions: never beyond what the installation has.
    let permissions: AppPermissions = { ...inst.permissions };
    if (body.permissions && typeof body.permissions === "object") {
      const wanted = body.permissions as Record<string, string>;
      for (const [name, level] of Object.entries(wanted)) {
        const granted = inst.permissions[name];
        if (!granted || (LEVEL_RANK[granted] ?? 0) < (LEVEL_RANK[level] ?? 99)) {
          return githubError(422, "The permissions requested are not granted to this installation.", DOC.token);
        }
      }
      permissions = wanted as AppPermissions;
    }

    const expiresAt = Date.now() + INSTALLATION_TOKEN_TTL_MS;
    const record = {
      kind: "installation" as const,
      token: newToken("ghs"),
      installationId: inst.id,
      permissions,
      repositories,
      expiresAt,
      createdAt: Date.now(),
    };
    ctx.state.tokens.set(record.token, record);
    const selection = repositories ? "selected" : inst.repositorySelection;
    // Like GitHub, list the repositories only when the token is limited to some.
    const listed = selection === "selected" ? tokenRepos(ctx.state, inst, record) : null;
    return json(201, {
      token: record.token,
      expires_at: isoSeconds(expiresAt),
      permissions,
      repository_selection: selection,
      ...(listed ? { repositories: listed.map((r) => repository(ctx, r, accountJson(ctx, ctx.state, r.owner)!)) } : {}),
    });
  });

  router.add("GET", "/installation/repositories", (ctx) => {
    const p = ctx.principal();
    if (p.kind === "anonymous") return githubError(401, "Requires authentication", DOC.repos);
    if (p.kind !== "installation") {
      return githubError(
        403,
        "You must authenticate with an installation access token in order to list repositories for an installation.",
        DOC.repos,
      );
    }
    const repos = tokenRepos(ctx.state, p.installation, p.token);
    const { page, headers } = paginate(repos, ctx.url);
    return json(
      200,
      {
        total_count: repos.length,
        repositories: page.map((r) => repository(ctx, r, accountJson(ctx, ctx.state, r.owner)!)),
        repository_selection: p.token.repositories ? "selected" : p.installation.repositorySelection,
      },
      headers,
    );
  });

  router.add("DELETE", "/installation/token", (ctx) => {
    const p = ctx.principal();
    if (p.kind !== "installation") return githubError(401, "Bad credentials", DOC.revoke);
    ctx.state.tokens.delete(p.token.token);
    return noContent();
  });
}

