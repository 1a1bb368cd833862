import { defineConfig } from "@playwright/test";

// One port for the run, known to the global setup (which starts the portal)
// and to the workers (which load this file again).
process.env.E2E_PORT ??= "3107";

// Chromium comes from Debian (no browser downloads here). The background
// networking flags keep it from flooding the closed network.
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"], ["json", { outputFile: ".cache/test-results/playwright.json" }]],
  outputDir: ".cache/test-results/playwright",
  // The secret-leak scan is a teardown project: it runs after every other
  // spec, even when some failed or when only some files were picked, and it
  // always runs in full.
  projects: [
    { name: "chromium", testIgnore: /secret-leak-scan\.spec\.ts$/, teardown: "secret-leak-scan" },
    { name: "secret-leak-scan", testMatch: /secret-leak-scan\.spec\.ts$/ },
  ],
  use: {
    baseURL: `http://localhost:${process.env.E2E_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
