import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The JS schema engine needs a live connection even for --from-empty diffs.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: process.env.PRISMA_DIFF_SCHEMA,
  adapter: async () => new PrismaPg({ connectionString: process.env.PRISMA_DIFF_DATABASE_URL }),
});
