// The in-memory model behind the fake GitHub. Plain data only: the routes read
// it, the helpers in seed.ts write it, and tests may poke at it directly.
import type { KeyObject } from "node:crypto";

export type AccessLevel = "read" | "write";
/** GitHub App permissions as GitHub names them (app-permissions schema). */
export type AppPermissions = {
  administration?: AccessLevel;
  organization_self_hosted_runners?: AccessLevel;
  metadata?: AccessLevel;
  members?: AccessLevel;
  [permission: string]: AccessLevel | "admin" | undefined;
};

export type OrgRole = "admin" | "member";
export type TeamRole = "member" | "maintainer";
export type RepoRole = "admin" | "maintain" | "write" | "triage" | "read";

export interface UserRecord {
  id: number;
  login: string;
  name: string | null;
  /** Public profile email; GET /user shows it, /user/emails always lists it. */
  email: string | null;
  createdAt: string;
}

export interface TeamRecord {
  id: number;
  slug: string;
  name: string;
  /** Keyed by lower-case login: GitHub logins are case-insensitive. */
  members: Map<string, TeamRole>;
}

export interface OrgRecord {
  id: number;
  login: string;
  name: string | null;
  description: string | null;
  members: Map<string, { role: OrgRole; public: boolean }>;
  teams: Map<string, TeamRecord>;
  createdAt: string;
}

export interface RepoRecord {
  id: number;
  /** Owner login as registered (user or organisation). */
  owner: string;
  name: string;
  private: boolean;
  collaborators: Map<string, RepoRole>;
  /** Custom repository role names by login; the login's role in `collaborators` is the one it is based on. */
  customRoles: Map<string, string>;
  createdAt: string;
}

export interface AppRecord {
  id: number;
  clientId: string;
  slug: string;
  name: string;
  /** Owner login (user or organisation); null when the test did not say. */
  owner: string | null;
  publicKeyPem: string;
  publicKey: KeyObject;
  permissions: AppPermissions;
  events: string[];
  createdAt: string;
}

export interface InstallationRecord {
  id: number;
  appId: number;
  account: string;
  repositorySelection: "all" | "selected";
  /** Repository names (without owner) when the selection is "selected". */
  repositories: string[];
  permissions: AppPermissions;
  events: string[];
  suspended: boolean;
  createdAt: string;
}

export interface RunnerRecord {
  id: number;
  name: string;
  os: string;
  status: "online" | "offline";
  busy: boolean;
  ephemeral: boolean;
  labels: string[];
  runnerGroupId: number;
}

export interface OAuthAppRecord {
  clientId: string;
  clientSecret: string;
  /** Registered callback; when set, redirect_uri must be on it (GitHub's rule). */
  callbackUrl: string | null;
  name: string;
}

export type TokenRecord =
  | { kind: "user"; token: string; login: string; scopes: string[]; clientId: string | null; createdAt: number }
  | {
      kind: "installation";
      token: string;
      installationId: number;
      /** The token's own (possibly narrowed) permissions and repositories. */
      permissions: AppPermissions;
      repositories: string[] | null;
      expiresAt: number;
      createdAt: number;
    };

export interface AuthCodeRecord {
  code: string;
  clientId: string;
  login: string;
  redirectUri: string | null;
  scopes: string[];
  expiresAt: number;
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | "plain" | null;
}

export type FaultSpec =
  | { status: 500 | 502 | 503 | 504; message?: string }
  | { rateLimited: true; resetInSeconds?: number; secondary?: boolean; status?: 403 | 429 }
  /** Close the socket without an answer, as a dropped connection would. */
  | { drop: true };

export interface FaultRecord {
  /** "*", "/orgs/{org}/installation", "GET /app", or a concrete path. */
  route: string;
  spec: FaultSpec;
  remaining: number;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  requestId: string;
}

export interface GitHubState {
  users: Map<string, UserRecord>;
  orgs: Map<string, OrgRecord>;
  /** Keyed by lower-case "owner/name". */
  repos: Map<string, RepoRecord>;
  apps: Map<number, AppRecord>;
  installations: Map<number, InstallationRecord>;
  /** Keyed by lower-case "org" or "owner/repo". */
  runners: Map<string, RunnerRecord[]>;
  oauthApps: Map<string, OAuthAppRecord>;
  tokens: Map<string, TokenRecord>;
  codes: Map<string, AuthCodeRecord>;
  /** Who "is at the browser" for the next OAuth authorisations (sticky). */
  nextAuthorizingUser: string | null;
  /** One-shot: the next authorisation is refused with access_denied. */
  denyNextAuthorization: boolean;
  faults: FaultRecord[];
  /** Primary rate-limit windows per principal, driving the x-ratelimit-* headers. */
  rateWindows: Map<string, { start: number; used: number }>;
  requestLog: RequestLogEntry[];
  nextId: number;
}

export function createEmptyState(): GitHubState {
  return {
    users: new Map(),
    orgs: new Map(),
    repos: new Map(),
    apps: new Map(),
    installations: new Map(),
    runners: new Map(),
    oauthApps: new Map(),
    tokens: new Map(),
    codes: new Map(),
    nextAuthorizingUser: null,
    denyNextAuthorization: false,
    faults: [],
    rateWindows: new Map(),
    requestLog: [],
    nextId: 1001,
  };
}

/** Empties the model in place, so the state object a test holds stays the live one. */
export function clearState(state: GitHubState): void {
  const fresh = createEmptyState();
  Object.assign(state, fresh);
}

export const key = (login: string): string => login.toLowerCase();
export const repoKey = (owner: string, name: string): string => `${owner}/${name}`.toLowerCase();

export function allocateId(state: GitHubState): number {
  return state.nextId++;
}

/** An account is either a user or an organisation; both share one namespace. */
export type Account = { type: "User"; record: UserRecord } | { type: "Organization"; record: OrgRecord };

export function findAccount(state: GitHubState, login: string): Account | null {
  const org = state.orgs.get(key(login));
  if (org) return { type: "Organization", record: org };
  const user = state.users.get(key(login));
  if (user) return { type: "User", record: user };
  return null;
}
