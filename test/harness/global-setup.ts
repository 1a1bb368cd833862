import type { TestProject } from "vitest/node";
import { startGitHubServer, type GitHubServer } from "@/test/github-server/server";
import { startTestDatabase, type TestDatabase } from "./database";
import { newAppKey, seedPortalWorld } from "./github-world";
import { TEST_SECRETS } from "./test-env";

let database: TestDatabase | undefined;
let github: GitHubServer | undefined;

export async function setup(project: TestProject) {
  database = await startTestDatabase("unit");
  github = await startGitHubServer();
  const key = newAppKey();
  seedPortalWorld(github, key.publicKeyPem);
  // Workers start after this and inherit the environment.
  Object.assign(process.env, TEST_SECRETS, {
    TEST_DATABASE_SERVER_URL: database.serverUrl,
    DATABASE_URL: database.url,
    DEMO_SIGN_IN: "1",
    // Tests write through lib functions, not the gate, and read back at once: the read caches
    // would show them the change notification's few milliseconds of delay. The caches'
    // own tests (test/db/read-cache.test.ts) turn them on; the e2e portal runs with them on.
    READ_CACHE: "off",
    NODE_ENV: "test",
    GITHUB_URL: github.url,
    GITHUB_API_URL: github.url,
    TEST_GITHUB_APP_PEM: key.privateKeyPem,
  });
  project.provide("databaseUrl", database.url);
}

export async function teardown() {
  await github?.close();
  await database?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
