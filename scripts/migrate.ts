import path from "node:path";
import { migrate } from "@/lib/db/migrate";
import { log } from "@/lib/log";

// One-shot: applies prisma/migrations to DATABASE_URL, once per release, before the
// replicas roll (the chart's pre-install/pre-upgrade hook Job). Replicas never migrate on start.
//   npm run db:migrate        in a checkout
//   node migrate.mjs          in the image (bundled by scripts/bundle-one-shots.mjs)
// The migrations directory is ./prisma/migrations under the working directory, or
// MIGRATIONS_DIR. Concurrent runs are safe: lib/db/migrate.ts takes an advisory lock.

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    log.error("migrate: DATABASE_URL is required: a postgresql:// connection URL");
    return 2;
  }
  const dir = path.resolve(process.env.MIGRATIONS_DIR ?? "prisma/migrations");
  const started = Date.now();
  const r = await migrate(url, dir);
  log.info("migrate: done", { applied: r.applied, alreadyApplied: r.alreadyApplied, dir, durationMs: Date.now() - started });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log.error("migrate failed", { error: err.message });
    process.exit(1);
  },
);
