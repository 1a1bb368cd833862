// JSON representations, field for field as in GitHub's OpenAPI description
// (@octokit/openapi-types: simple-user, private-user, organization-simple,
// repository, integration, installation, runner). URLs point back at this server.
import type { AppRecord, InstallationRecord, OrgRecord, RepoRecord, RunnerRecord, UserRecord } from "./state";

export interface Bases {
  apiBase: string;
  webBase: string;
}

/** GitHub's legacy global node IDs: base64("0<len>:<Type><id>"), e.g. MDQ6VXNlcjE= for user 1. */
export function legacyNodeId(type: string, id: number): string {
  const len = String(type.length).padStart(2, "0");
  return Buffer.from(`0${len}:${type}${id}`).toString("base64");
}

export function avatarUrl(b: Bases, id: number): string {
  // Served by this server (see users.ts) so browsers never reach for the internet.
  return `${b.webBase}/avatars/u/${id}?v=4`;
}

export function simpleAccount(b: Bases, account: UserRecord | OrgRecord, type: "User" | "Organization") {
  const api = `${b.apiBase}/users/${account.login}`;
  return {
    login: account.login,
    id: account.id,
    node_id: legacyNodeId(type, account.id),
    avatar_url: avatarUrl(b, account.id),
    gravatar_id: "",
    url: api,
    html_url: `${b.webBase}/${account.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: "public",
    site_admin: false,
  };
}

export const simpleUser = (b: Bases, user: UserRecord) => simpleAccount(b, user, "User");

/** GET /users/{username}: the public profile. */
export function publicUser(b: Bases, user: UserRecord, publicRepos: number) {
  return {
    ...simpleUser(b, user),
    name: user.name,
    company: null,
    blog: "",
    location: null,
    email: user.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: user.createdAt,
    updated_at: user.createdAt,
  };
}

/** GET /user: the authenticated user sees the private-user fields too. */
export function privateUser(b: Bases, user: UserRecord, counts: { publicRepos: number; privateRepos: number }) {
  return {
    ...publicUser(b, user, counts.publicRepos),
    notification_email: user.email,
    private_gists: 0,
    total_private_repos: counts.privateRepos,
    owned_private_repos: counts.privateRepos,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: "free", space: 976562499, collaborators: 0, private_repos: 10000 },
  };
}

export function organizationSimple(b: Bases, org: OrgRecord) {
  const api = `${b.apiBase}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: legacyNodeId("Organization", org.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: avatarUrl(b, org.id),
    description: org.description,
  };
}

/** GET /orgs/{org}. */
export function organizationFull(b: Bases, org: OrgRecord, publicRepos: number) {
  return {
    ...organizationSimple(b, org),
    name: org.name,
    company: null,
    blog: "",
    location: null,
    email: null,
    twitter_username: null,
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${b.webBase}/${org.login}`,
    created_at: org.createdAt,
    updated_at: org.createdAt,
    archived_at: null,
    type: "Organization",
  };
}

export interface RepoPermissions {
  admin: boolean;
  maintain: boolean;
  push: boolean;
  triage: boolean;
  pull: boolean;
}

export function repository(
  b: Bases,
  repo: RepoRecord,
  owner: ReturnType<typeof simpleAccount>,
  permissions?: RepoPermissions,
) {
  const fullName = `${repo.owner}/${repo.name}`;
  const api = `${b.apiBase}/repos/${fullName}`;
  return {
    id: repo.id,
    node_id: legacyNodeId("Repository", repo.id),
    name: repo.name,
    full_name: fullName,
    private: repo.private,
    owner,
    html_url: `${b.webBase}/${fullName}`,
    description: null,
    fork: false,
    url: api,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    git_url: `git://${new URL(b.webBase).host}/${fullName}.git`,
    ssh_url: `git@${new URL(b.webBase).hostname}:${fullName}.git`,
    clone_url: `${b.webBase}/${fullName}.git`,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    archived: false,
    disabled: false,
    open_issues_count: 0,
    license: null,
    allow_forking: true,
    is_template: false,
    topics: [],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: 0,
    watchers: 0,
    default_branch: "main",
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    pushed_at: repo.createdAt,
    ...(permissions ? { permissions } : {}),
  };
}

/** GET /app (the "integration" schema). */
export function integration(b: Bases, app: AppRecord, owner: ReturnType<typeof simpleAccount> | null, installations: number) {
  return {
    id: app.id,
    client_id: app.clientId,
    slug: app.slug,
    node_id: legacyNodeId("Integration", app.id),
    owner,
    name: app.name,
    description: null,
    external_url: `${b.webBase}/apps/${app.slug}`,
    html_url: `${b.webBase}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: app.permissions,
    events: app.events,
    installations_count: installations,
  };
}

export function installation(
  b: Bases,
  inst: InstallationRecord,
  app: AppRecord,
  account: ReturnType<typeof simpleAccount>,
) {
  const isOrg = account.type === "Organization";
  return {
    id: inst.id,
    client_id: app.clientId,
    account,
    repository_selection: inst.repositorySelection,
    access_tokens_url: `${b.apiBase}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${b.apiBase}/installation/repositories`,
    html_url: isOrg
      ? `${b.webBase}/organizations/${account.login}/settings/installations/${inst.id}`
      : `${b.webBase}/settings/installations/${inst.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: account.type,
    permissions: inst.permissions,
    events: inst.events,
    created_at: inst.createdAt,
    updated_at: inst.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: inst.suspended ? inst.createdAt : null,
  };
}

// Labels GitHub adds to every self-hosted runner are "read-only"; the rest are "custom".
const DEFAULT_LABELS = new Set(["self-hosted", "linux", "windows", "macos", "x64", "arm", "arm64"]);

function labelId(name: string): number {
  let h = 0;
  for (const c of name.toLowerCase()) h = (h * 31 + c.charCodeAt(0)) % 1_000_000;
  return h + 1;
}

export function runner(r: RunnerRecord) {
  return {
    id: r.id,
    runner_group_id: r.runnerGroupId,
    name: r.name,
    os: r.os,
    status: r.status,
    busy: r.busy,
    ephemeral: r.ephemeral,
    labels: r.labels.map((name) => ({
      id: labelId(name),
      name,
      type: DEFAULT_LABELS.has(name.toLowerCase()) ? "read-only" : "custom",
    })),
  };
}
