// The GitHub every test in test/github starts from: one organisation with an App
// installed on a selected repository, one whose installation lacks the runner
// permissions, people with each kind of standing, and a few runners.
import { generateKeyPairSync } from "node:crypto";
import { startGitHubServer, type GitHubServer } from "@/test/github-server/server";

export const APP_ID = 4242;
export const APP_CLIENT_ID = "Iv23liARCportal00001";
export const OTHER_APP_ID = 5151;

export function rsaPair(format: "pkcs1" | "pkcs8" = "pkcs1") {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: format, format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

// Generated once per test file: RSA key generation is slow-ish.
export const appKey = rsaPair();
export const otherKey = rsaPair();

export const INSTALLATIONS = {
  /** ossci: selected repositories [covered], both runner permissions. */
  ossci: 777,
  /** other-org: all repositories, self-hosted runners read only, no administration. */
  readOnly: 778,
  /** third-org: metadata only. */
  bare: 779,
  /** paused-org: suspended. */
  suspended: 780,
} as const;

export function seedWorld(gh: GitHubServer): void {
  gh.addUser({ login: "alice", id: 101, name: "Alice Owner" });
  gh.addUser({ login: "bob", id: 102, name: "Bob Reviewer" });
  gh.addUser({ login: "carol", id: 103, name: "Carol Outsider" });
  gh.addUser({ login: "dave", id: 104, name: "Dave Writer" });
  gh.addUser({ login: "erin", id: 105, name: "Erin Repo-Admin" });
  for (const org of ["ossci", "other-org", "third-org", "paused-org"]) gh.addOrg(org);
  gh.addMember("ossci", "alice", "admin");
  gh.addMember("ossci", "bob", "member");
  gh.addTeam("ossci", "arc-reviewers", ["bob"]);
  gh.addRepo("ossci", "covered", { writers: ["dave"], admins: ["erin"] });
  gh.addRepo("ossci", "uncovered", { private: true, admins: ["erin"] });
  gh.addRepo("other-org", "app");
  gh.addRepo("third-org", "tool");
  gh.addRepo("carol", "personal");

  gh.addApp({ id: APP_ID, clientId: APP_CLIENT_ID, slug: "arc-portal-test", name: "ARC portal test", publicKeyPem: appKey.publicKeyPem });
  gh.addApp({ id: OTHER_APP_ID, clientId: "Iv23liOtherApp000001", slug: "other-app", publicKeyPem: otherKey.publicKeyPem });
  gh.addInstallation({
    id: INSTALLATIONS.ossci,
    appId: APP_ID,
    account: "ossci",
    repositorySelection: "selected",
    repositories: ["covered"],
    permissions: { administration: "write", organization_self_hosted_runners: "write" },
  });
  gh.addInstallation({
    id: INSTALLATIONS.readOnly,
    appId: APP_ID,
    account: "other-org",
    repositorySelection: "all",
    permissions: { organization_self_hosted_runners: "read" },
  });
  gh.addInstallation({ id: INSTALLATIONS.bare, appId: APP_ID, account: "third-org", repositorySelection: "all", permissions: {} });
  gh.addInstallation({
    id: INSTALLATIONS.suspended,
    appId: APP_ID,
    account: "paused-org",
    repositorySelection: "all",
    permissions: { organization_self_hosted_runners: "write" },
    suspended: true,
  });
  gh.addInstallation({ id: 781, appId: APP_ID, account: "carol", repositorySelection: "all", permissions: { administration: "write" } });

  gh.addRunner("ossci", { id: 1, name: "mi300-cluster-b2", status: "online", busy: true, labels: ["mi300-cluster"] });
  gh.addRunner("ossci", { id: 2, name: "mi300-cluster-a1", status: "offline", busy: false, labels: ["mi300-cluster"] });
  gh.addRunner("ossci", { id: 3, name: "someone-else", status: "online", busy: false, labels: ["self-hosted", "linux"] });
  gh.addRunner("ossci/covered", { id: 4, name: "repo-runner", status: "online", busy: false, labels: ["linux-mi300-gpu-1"] });
}

/** A fresh local GitHub server with the world seeded. */
export async function startWorld(): Promise<GitHubServer> {
  const gh = await startGitHubServer();
  seedWorld(gh);
  return gh;
}

/** Back to the seeded world: no queued faults, no tokens, empty request log. */
export function resetWorld(gh: GitHubServer): void {
  gh.reset({ empty: true });
  seedWorld(gh);
}

/** Requests the server saw for a path (without query), e.g. to prove nothing was retried. */
export function hits(gh: GitHubServer, method: string, path: RegExp): number {
  return gh.requests().filter((r) => r.method === method && path.test(r.path)).length;
}
