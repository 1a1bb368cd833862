// The signed-in user and public profiles: /user, /user/emails, /user/orgs,
// /user/memberships/orgs/{org}, /users/{username}, plus the avatar images.
import { orgMembership } from "./access";
import { requireUser } from "./auth";
import { fail, json, notFound, paginate, type Reply } from "./http";
import type { Router } from "./router";
import { organizationFull, organizationSimple, privateUser, publicUser, simpleUser } from "./shapes";
import { findAccount, key, type GitHubState, type UserRecord } from "./state";

const DOC = {
  user: "https://docs.github.com/rest/users/users#get-the-authenticated-user",
  emails: "https://docs.github.com/rest/users/emails#list-email-addresses-for-the-authenticated-user",
  orgs: "https://docs.github.com/rest/orgs/orgs#list-organizations-for-the-authenticated-user",
  membership: "https://docs.github.com/rest/orgs/members#get-an-organization-membership-for-the-authenticated-user",
  getUser: "https://docs.github.com/rest/users/users#get-a-user",
};

function repoCounts(state: GitHubState, login: string) {
  let publicRepos = 0;
  let privateRepos = 0;
  for (const r of state.repos.values()) {
    if (key(r.owner) !== key(login)) continue;
    if (r.private) privateRepos++;
    else publicRepos++;
  }
  return { publicRepos, privateRepos };
}

/** OAuth tokens carry their scopes in x-oauth-scopes on every answer. */
const scopeHeaders = (scopes: string[], accepted = ""): Record<string, string> => ({
  "x-oauth-scopes": scopes.join(", "),
  "x-accepted-oauth-scopes": accepted,
});

export function emailsOf(user: UserRecord, host: string) {
  const noreply = { email: `${user.id}+${user.login}@users.noreply.${host}`, primary: !user.email, verified: true, visibility: null };
  return user.email ? [{ email: user.email, primary: true, verified: true, visibility: "public" }, noreply] : [noreply];
}

function avatarSvg(label: string): string {
  const initial = (label[0] ?? "?").toUpperCase().replace(/[<>&"']/g, "?");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" fill="#6e7781"/><text x="32" y="42" font-size="32" text-anchor="middle" fill="#fff" font-family="sans-serif">${initial}</text></svg>`;
}

export function registerUserRoutes(router: Router): void {
  router.add("GET", "/user", (ctx) => {
    const { user, token } = requireUser(ctx, DOC.user);
    return json(200, privateUser(ctx, user, repoCounts(ctx.state, user.login)), scopeHeaders(token.scopes));
  });

  router.add("GET", "/user/emails", (ctx) => {
    const { user, token } = requireUser(ctx, DOC.emails);
    // Without user:email (or user) GitHub hides the list.
    if (!token.scopes.some((s) => s === "user" || s === "user:email")) fail(notFound(DOC.emails));
    const { page, headers } = paginate(emailsOf(user, new URL(ctx.webBase).hostname), ctx.url);
    return json(200, page, { ...headers, ...scopeHeaders(token.scopes, "user") });
  });

  router.add("GET", "/user/orgs", (ctx) => {
    const { user, token } = requireUser(ctx, DOC.orgs);
    const orgs = [...ctx.state.orgs.values()].filter((o) => o.members.has(key(user.login)));
    const { page, headers } = paginate(orgs.map((o) => organizationSimple(ctx, o)), ctx.url);
    return json(200, page, { ...headers, ...scopeHeaders(token.scopes, "admin:org, read:org, repo, user, write:org") });
  });

  router.add("GET", "/user/memberships/orgs/{org}", (ctx) => {
    const { user, token } = requireUser(ctx, DOC.membership);
    const org = ctx.state.orgs.get(key(ctx.params.org ?? ""));
    const membership = org ? orgMembership(ctx.state, org.login, user.login) : null;
    if (!org || !membership) return notFound(DOC.membership);
    return json(
      200,
      {
        url: `${ctx.apiBase}/orgs/${org.login}/memberships/${user.login}`,
        state: "active",
        role: membership.role,
        organization_url: `${ctx.apiBase}/orgs/${org.login}`,
        organization: organizationSimple(ctx, org),
        user: simpleUser(ctx, user),
        permissions: { can_create_repository: membership.role === "admin" },
      },
      scopeHeaders(token.scopes, "admin:org, read:org, repo, user, write:org"),
    );
  });

  router.add("GET", "/users/{username}", (ctx): Reply => {
    const account = findAccount(ctx.state, ctx.params.username ?? "");
    if (!account) return notFound(DOC.getUser);
    const counts = repoCounts(ctx.state, account.record.login);
    // GitHub answers /users/{org} with the organisation's profile.
    return account.type === "User"
      ? json(200, publicUser(ctx, account.record, counts.publicRepos))
      : json(200, organizationFull(ctx, account.record, counts.publicRepos));
  });

  // Avatar URLs in our JSON point here, so a browser never leaves the machine.
  router.add(
    "GET",
    "/avatars/u/{id}",
    (ctx) => {
      const id = Number(ctx.params.id);
      const login =
        [...ctx.state.users.values(), ...ctx.state.orgs.values()].find((a) => a.id === id)?.login ?? "?";
      return { status: 200, body: avatarSvg(login), contentType: "image/svg+xml" };
    },
    "web",
  );
}

