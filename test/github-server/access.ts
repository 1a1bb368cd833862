// Who may see what: organisation membership, a user's role on a repository, and
// which repositories an installation (or one of its tokens) covers.
import type { Principal } from "./auth";
import { simpleAccount, type Bases, type RepoPermissions } from "./shapes";
import { findAccount, key, repoKey, type GitHubState, type InstallationRecord, type RepoRecord, type RepoRole, type TokenRecord } from "./state";

export function orgMembership(state: GitHubState, org: string, login: string) {
  return state.orgs.get(key(org))?.members.get(key(login)) ?? null;
}

/**
 * A user's effective role: direct collaborator role, "admin" for organisation
 * owners, and "read" for other members (GitHub's default base permission).
 */
export function repoRole(state: GitHubState, repo: RepoRecord, login: string): RepoRole | null {
  const direct = repo.collaborators.get(key(login)) ?? null;
  const membership = orgMembership(state, repo.owner, login);
  if (membership?.role === "admin") return "admin";
  if (direct) return direct;
  if (membership) return "read";
  return null;
}

/** The legacy "permission" field: maintain maps to write and triage to read. */
export function legacyPermission(role: RepoRole | null): "admin" | "write" | "read" | "none" {
  switch (role) {
    case "admin":
      return "admin";
    case "maintain":
    case "write":
      return "write";
    case "triage":
    case "read":
      return "read";
    default:
      return "none";
  }
}

export function permissionsHash(role: RepoRole | null): RepoPermissions {
  const rank = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 } as const;
  const r = role ? rank[role] : 0;
  return { admin: r >= 5, maintain: r >= 4, push: r >= 3, triage: r >= 2, pull: r >= 1 };
}

export function installationCovers(state: GitHubState, inst: InstallationRecord, owner: string, name: string): boolean {
  if (key(inst.account) !== key(owner) || !state.repos.has(repoKey(owner, name))) return false;
  return inst.repositorySelection === "all" || inst.repositories.some((r) => key(r) === key(name));
}

/** Repositories an installation token can reach (tokens may be narrowed at creation). */
export function tokenRepos(state: GitHubState, inst: InstallationRecord, token: Extract<TokenRecord, { kind: "installation" }> | null): RepoRecord[] {
  const repos = [...state.repos.values()].filter((r) => installationCovers(state, inst, r.owner, r.name));
  if (!token?.repositories) return repos;
  const allowed = new Set(token.repositories.map(key));
  return repos.filter((r) => allowed.has(key(r.name)));
}

/** Can this caller see the repository at all? (Private repos are 404 otherwise.) */
export function canSeeRepo(state: GitHubState, p: Principal, repo: RepoRecord): boolean {
  if (p.kind === "installation") {
    return tokenRepos(state, p.installation, p.token).some((r) => r.id === repo.id);
  }
  if (!repo.private) return true;
  // OAuth tokens reach private repositories only with the `repo` scope, whatever the person's role.
  return p.kind === "user" && p.token.scopes.includes("repo") && repoRole(state, repo, p.user.login) !== null;
}

export function accountJson(b: Bases, state: GitHubState, login: string) {
  const account = findAccount(state, login);
  if (!account) return null;
  return simpleAccount(b, account.record, account.type);
}
