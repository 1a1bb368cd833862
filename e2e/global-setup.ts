import path from "node:path";
import { startGitHubServer } from "../test/github-server/server";
import { startTestDatabase } from "../test/harness/database";
import { newAppKey, seedPortalWorld } from "../test/harness/github-world";
import { startPortal } from "../test/harness/portal";
import { TEST_SECRETS } from "../test/harness/test-env";
import { E2E_GITHUB } from "./github-seed";

// Starts everything the browser tests talk to: a fresh database, the local
// GitHub server, and the portal's production build pointed at both. Workers
// read the addresses from process.env.
export default async function globalSetup() {
  const database = await startTestDatabase("e2e");
  const github = await startGitHubServer({ seed: E2E_GITHUB.seed });
  const appKey = newAppKey();
  seedPortalWorld(github, appKey.publicKeyPem);
  const port = Number(process.env.E2E_PORT);
  const portal = await startPortal({
    port,
    logFile: path.resolve(".cache/test-results/portal.log"),
    env: {
      ...TEST_SECRETS,
      DATABASE_URL: database.url,
      GITHUB_URL: github.url,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_CLIENT_ID: E2E_GITHUB.oauthApp.clientId,
      GITHUB_CLIENT_SECRET: E2E_GITHUB.oauthApp.clientSecret,
      REVIEWER_LOGINS: E2E_GITHUB.reviewerLogins.join(","),
      LOG_LEVEL: "info",
    },
  });
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    E2E_GITHUB_URL: github.url,
    E2E_PORTAL_LOG: portal.logFile,
    TEST_GITHUB_APP_PEM: appKey.privateKeyPem,
  });
  return async () => {
    await portal.stop();
    await github.close();
    await database.stop();
  };
}
