import type { TestProject } from "vitest/node";
import { startTestDatabase, type TestDatabase } from "./database";
import { TEST_SECRETS } from "./test-env";

let database: TestDatabase | undefined;

export async function setup(project: TestProject) {
  database = await startTestDatabase("unit");
  // Workers start after this and inherit the environment.
  Object.assign(process.env, TEST_SECRETS, {
    TEST_DATABASE_SERVER_URL: database.serverUrl,
    DATABASE_URL: database.url,
    DEMO_SIGN_IN: "1",
    NODE_ENV: "test",
  });
  project.provide("databaseUrl", database.url);
}

export async function teardown() {
  await database?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
