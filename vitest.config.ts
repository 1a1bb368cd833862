import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "test/harness/server-only.ts") } },
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["test/harness/global-setup.ts"],
    setupFiles: ["test/harness/per-file-database.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration tests share one database per run; files run in parallel on 2 cores.
    fileParallelism: true,
  },
});
