import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { freePort } from "../scripts/db/embedded-postgres";
import { startGitHubServer } from "../test/github-server/server";
import { startTestDatabase } from "../test/harness/database";
import { registerSimulatedNodes, startKube } from "../test/harness/kube";
import { newAppKey, seedPortalWorld } from "../test/harness/github-world";
import { startPortal } from "../test/harness/portal";
import { TEST_SECRETS } from "../test/harness/test-env";
import { E2E_GITHUB, staffLists } from "./github-seed";
import { startRecordingProxy } from "./recording-proxy";

// Starts everything the browser tests talk to: a fresh database, the local
// GitHub server, and the portal's production build pointed at both. Workers
// read the addresses from process.env.
//
// The suite reaches the portal through a recording proxy on E2E_PORT, which
// writes down every response for the secret-leak scan that ends the run
// (secret-leak-scan.spec.ts). The App key made here is the run's canary.
// Everything the run writes lives in .cache/test-results/e2e-<port>/, so runs
// on different ports do not mix.
export default async function globalSetup() {
  // A real kube-apiserver with the ARC CRDs: approvals in the browser tests really provision.
  const kube = await startKube();
  // Room for every approval the run makes: only a spec that asks for more meets the capacity check's refusal.
  await registerSimulatedNodes(kube, { count: 16, prefix: "e2e-gpu-node" });
  const port = Number(process.env.E2E_PORT);
  const runDir = path.resolve(`.cache/test-results/e2e-${port}`);
  await rm(runDir, { recursive: true, force: true });
  const database = await startTestDatabase("e2e");
  const github = await startGitHubServer({ seed: E2E_GITHUB.seed });
  const appKey = newAppKey();
  seedPortalWorld(github, appKey.publicKeyPem);
  const portalPort = await freePort();
  const metricsToken = randomBytes(24).toString("hex");
  const proxy = await startRecordingProxy({
    port,
    target: `http://localhost:${portalPort}`,
    file: path.join(runDir, "responses.jsonl"),
  });
  const portal = await startPortal({
    port: portalPort,
    logFile: path.join(runDir, "portal.log"),
    env: {
      ...TEST_SECRETS,
      // The public address is the proxy's: OAuth redirects come back through it.
      NEXTAUTH_URL: proxy.url,
      DATABASE_URL: database.url,
      GITHUB_URL: github.url,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_CLIENT_ID: E2E_GITHUB.oauthApp.clientId,
      GITHUB_CLIENT_SECRET: E2E_GITHUB.oauthApp.clientSecret,
      ...staffLists({ reviewers: ["restart-reviewer", "replicas-rev"] }),
      LOG_LEVEL: "info",
      KUBECONFIG: kube.kubeconfigPath,
      // Prometheus' scrape token; e2e/ops.spec.ts scrapes with and without it.
      METRICS_TOKEN: metricsToken,
    },
  });
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    E2E_GITHUB_URL: github.url,
    E2E_GITHUB_API_URL: github.apiUrl,
    E2E_RUN_DIR: runDir,
    E2E_PORTAL_LOG: portal.logFile,
    E2E_RESPONSES: proxy.file,
    TEST_GITHUB_APP_PEM: appKey.privateKeyPem,
    E2E_KUBE: JSON.stringify({ server: kube.server, token: kube.token, caData: kube.caData }),
    E2E_METRICS_TOKEN: metricsToken,
  });
  return async () => {
    await portal.stop();
    await kube.stop();
    await proxy.close();
    await github.close();
    await database.stop();
  };
}
