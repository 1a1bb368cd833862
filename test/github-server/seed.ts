// Helpers that put things into the model. They throw on unknown references so a
// typo in a test fails loudly instead of producing a confusing 404 later.
import { createPublicKey } from "node:crypto";
import {
  allocateId,
  findAccount,
  key,
  repoKey,
  type AppPermissions,
  type AppRecord,
  type GitHubState,
  type InstallationRecord,
  type OAuthAppRecord,
  type OrgRecord,
  type OrgRole,
  type RepoRecord,
  type RepoRole,
  type RunnerRecord,
  type TeamRecord,
  type TeamRole,
  type UserRecord,
} from "./state";
import { newToken } from "./tokens";

const now = () => new Date().toISOString();

export interface AddUserInput {
  login: string;
  id?: number;
  name?: string | null;
  email?: string | null;
}

export function addUser(state: GitHubState, input: AddUserInput): UserRecord {
  if (findAccount(state, input.login)) throw new Error(`account "${input.login}" already exists`);
  const user: UserRecord = {
    id: input.id ?? allocateId(state),
    login: input.login,
    name: input.name ?? null,
    email: input.email ?? null,
    createdAt: now(),
  };
  state.users.set(key(user.login), user);
  return user;
}

export interface AddOrgInput {
  login: string;
  id?: number;
  name?: string | null;
  description?: string | null;
}

export function addOrg(state: GitHubState, input: string | AddOrgInput): OrgRecord {
  const spec = typeof input === "string" ? { login: input } : input;
  if (findAccount(state, spec.login)) throw new Error(`account "${spec.login}" already exists`);
  const org: OrgRecord = {
    id: spec.id ?? allocateId(state),
    login: spec.login,
    name: spec.name ?? null,
    description: spec.description ?? null,
    members: new Map(),
    teams: new Map(),
    createdAt: now(),
  };
  state.orgs.set(key(org.login), org);
  return org;
}

function requireOrg(state: GitHubState, login: string): OrgRecord {
  const org = state.orgs.get(key(login));
  if (!org) throw new Error(`unknown organisation "${login}"; call addOrg first`);
  return org;
}

function requireUser(state: GitHubState, login: string): UserRecord {
  const user = state.users.get(key(login));
  if (!user) throw new Error(`unknown user "${login}"; call addUser first`);
  return user;
}

export function addMember(
  state: GitHubState,
  org: string,
  login: string,
  role: OrgRole = "member",
  opts: { public?: boolean } = {},
): void {
  const record = requireOrg(state, org);
  requireUser(state, login);
  record.members.set(key(login), { role, public: opts.public ?? false });
}

export type TeamMemberInput = string | { login: string; role?: TeamRole };

export function addTeam(
  state: GitHubState,
  org: string,
  slug: string,
  members: TeamMemberInput[] = [],
  opts: { id?: number; name?: string } = {},
): TeamRecord {
  const record = requireOrg(state, org);
  const team: TeamRecord = {
    id: opts.id ?? allocateId(state),
    slug,
    name: opts.name ?? slug,
    members: new Map(),
  };
  for (const m of members) {
    const login = typeof m === "string" ? m : m.login;
    const role = typeof m === "string" ? "member" : (m.role ?? "member");
    requireUser(state, login);
    // On GitHub a team member is always an organisation member.
    if (!record.members.has(key(login))) record.members.set(key(login), { role: "member", public: false });
    team.members.set(key(login), role);
  }
  record.teams.set(key(slug), team);
  return team;
}

export interface AddRepoOptions {
  id?: number;
  private?: boolean;
  admins?: string[];
  maintainers?: string[];
  writers?: string[];
  triagers?: string[];
  readers?: string[];
  /** Custom repository roles (organisation repositories on GitHub Enterprise Cloud and Server). */
  customRoles?: { login: string; name: string; base: Exclude<RepoRole, "admin"> }[];
}

export function addRepo(state: GitHubState, owner: string, name: string, opts: AddRepoOptions = {}): RepoRecord {
  const account = findAccount(state, owner);
  if (!account) throw new Error(`unknown owner "${owner}"; call addUser or addOrg first`);
  if (state.repos.has(repoKey(owner, name))) throw new Error(`repository "${owner}/${name}" already exists`);
  const repo: RepoRecord = {
    id: opts.id ?? allocateId(state),
    owner: account.record.login,
    name,
    private: opts.private ?? false,
    collaborators: new Map(),
    customRoles: new Map(),
    createdAt: now(),
  };
  const grant = (logins: string[] | undefined, role: RepoRole) => {
    for (const login of logins ?? []) {
      requireUser(state, login);
      repo.collaborators.set(key(login), role);
    }
  };
  // Lowest first so that a login listed twice keeps its highest role.
  grant(opts.readers, "read");
  grant(opts.triagers, "triage");
  grant(opts.writers, "write");
  grant(opts.maintainers, "maintain");
  grant(opts.admins, "admin");
  for (const c of opts.customRoles ?? []) {
    grant([c.login], c.base);
    repo.customRoles.set(key(c.login), c.name);
  }
  // A user owns their personal repositories.
  if (account.type === "User") repo.collaborators.set(key(account.record.login), "admin");
  state.repos.set(repoKey(owner, name), repo);
  return repo;
}

export interface AddAppInput {
  id: number;
  clientId: string;
  slug: string;
  publicKeyPem: string;
  name?: string;
  owner?: string;
  permissions?: AppPermissions;
  events?: string[];
}

export function addApp(state: GitHubState, input: AddAppInput): AppRecord {
  // Parsing here makes a bad PEM fail at seed time, not at the first request.
  const publicKey = createPublicKey(input.publicKeyPem);
  if (publicKey.asymmetricKeyType !== "rsa") throw new Error("GitHub App keys are RSA keys");
  const app: AppRecord = {
    id: input.id,
    clientId: input.clientId,
    slug: input.slug,
    name: input.name ?? input.slug,
    owner: input.owner ?? null,
    publicKeyPem: input.publicKeyPem,
    publicKey,
    permissions: input.permissions ?? { metadata: "read" },
    events: input.events ?? [],
    createdAt: now(),
  };
  state.apps.set(app.id, app);
  return app;
}

export interface AddInstallationInput {
  id: number;
  appId: number;
  /** Organisation or user login the app is installed on. */
  account: string;
  repositorySelection: "all" | "selected";
  /** Repository names, with or without the "owner/" prefix. */
  repositories?: string[];
  permissions: AppPermissions;
  events?: string[];
  suspended?: boolean;
}

export function addInstallation(state: GitHubState, input: AddInstallationInput): InstallationRecord {
  if (!state.apps.has(input.appId)) throw new Error(`unknown app ${input.appId}; call addApp first`);
  const account = findAccount(state, input.account);
  if (!account) throw new Error(`unknown account "${input.account}"`);
  const repositories = (input.repositories ?? []).map((r) => {
    const name = r.includes("/") ? r.slice(r.indexOf("/") + 1) : r;
    if (r.includes("/") && key(r.slice(0, r.indexOf("/"))) !== key(account.record.login)) {
      throw new Error(`repository "${r}" is not owned by "${input.account}"`);
    }
    if (!state.repos.has(repoKey(account.record.login, name))) {
      throw new Error(`unknown repository "${account.record.login}/${name}"; call addRepo first`);
    }
    return name;
  });
  const installation: InstallationRecord = {
    id: input.id,
    appId: input.appId,
    account: account.record.login,
    repositorySelection: input.repositorySelection,
    repositories,
    // Every installation can read metadata; GitHub always grants it.
    permissions: { metadata: "read", ...input.permissions },
    events: input.events ?? [],
    suspended: input.suspended ?? false,
    createdAt: now(),
  };
  state.installations.set(installation.id, installation);
  return installation;
}

export interface AddRunnerInput {
  id?: number;
  name: string;
  status: "online" | "offline";
  busy: boolean;
  labels: string[];
  os?: string;
  ephemeral?: boolean;
  runnerGroupId?: number;
}

/** target is an organisation login or "owner/repo". */
export function addRunner(state: GitHubState, target: string, input: AddRunnerInput): RunnerRecord {
  if (target.includes("/")) {
    const [owner = "", name = ""] = target.split("/");
    if (!state.repos.has(repoKey(owner, name))) throw new Error(`unknown repository "${target}"`);
  } else {
    requireOrg(state, target);
  }
  const runner: RunnerRecord = {
    id: input.id ?? allocateId(state),
    name: input.name,
    os: input.os ?? "Linux",
    status: input.status,
    busy: input.busy,
    ephemeral: input.ephemeral ?? true,
    labels: input.labels,
    runnerGroupId: input.runnerGroupId ?? 1,
  };
  const list = state.runners.get(key(target)) ?? [];
  list.push(runner);
  state.runners.set(key(target), list);
  return runner;
}

export interface AddOAuthAppInput {
  clientId: string;
  clientSecret: string;
  callbackUrl?: string | null;
  name?: string;
}

export function addOAuthApp(state: GitHubState, input: AddOAuthAppInput): OAuthAppRecord {
  const app: OAuthAppRecord = {
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    callbackUrl: input.callbackUrl ?? null,
    name: input.name ?? input.clientId,
  };
  state.oauthApps.set(app.clientId, app);
  return app;
}

/** Mints an OAuth user token without the browser dance (tests and e2e set-up). */
export function issueUserToken(
  state: GitHubState,
  login: string,
  opts: { scopes?: string[]; token?: string; clientId?: string | null } = {},
): string {
  const user = requireUser(state, login);
  const token = opts.token ?? newToken("gho");
  state.tokens.set(token, {
    kind: "user",
    token,
    login: user.login,
    scopes: opts.scopes ?? ["read:user", "user:email", "read:org", "repo"],
    clientId: opts.clientId ?? null,
    createdAt: Date.now(),
  });
  return token;
}
