import { generateKeyPairSync } from "node:crypto";
import type { GitHubServer } from "@/test/github-server/server";

// The GitHub that the portal's integration and browser tests submit against:
// one App installed on a few organisations with the permissions ARC needs.
// Its private key is made per run and handed to test processes through the
// environment (TEST_GITHUB_APP_PEM), never written to disk.

export const PORTAL_APP = { id: 424242, clientId: "Iv23liPortalTests0001", slug: "ossci-arc-runners" };

/** Organisation → the App's installation on it. */
export const INSTALLATION = { "example-org": 67890, ROCm: 7890, "e2e-org": 99 } as const;

export function newAppKey() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

export function seedPortalWorld(gh: GitHubServer, publicKeyPem: string) {
  gh.addApp({ ...PORTAL_APP, name: "OSSCI ARC runners", publicKeyPem });
  for (const [org, id] of Object.entries(INSTALLATION)) {
    gh.addOrg(org);
    gh.addRepo(org, "models");
    gh.addInstallation({
      id,
      appId: PORTAL_APP.id,
      account: org,
      repositorySelection: "all",
      permissions: { administration: "write", organization_self_hosted_runners: "write", metadata: "read" },
    });
  }
}
