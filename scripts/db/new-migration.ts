import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { diffSql, readSchema } from "./prisma-diff";
import { startEmbeddedPostgres } from "./embedded-postgres";

// Usage: npm run db:migration -- <name> [--from-ref <git-ref>]
// Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that
// takes the schema at <git-ref> (default HEAD; empty if absent) to the working
// copy of prisma/schema.prisma.

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith("--"));
const refIdx = args.indexOf("--from-ref");
const ref = refIdx >= 0 ? args[refIdx + 1] : "HEAD";
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name: lowercase letters, digits, _> [--from-ref <git-ref>]");
  process.exit(1);
}

let from: string | undefined;
try {
  from = execFileSync("git", ["show", `${ref}:prisma/schema.prisma`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
} catch {
  from = undefined;
}

const pg = await startEmbeddedPostgres({ dataDir: path.resolve(".data/migration-scratch"), persistent: false });
try {
  const sql = await diffSql({ from, to: await readSchema(), databaseUrl: pg.url });
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log("schema.prisma has no changes since", ref);
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const dir = path.resolve("prisma/migrations", `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), sql);
    console.log("wrote", path.relative(process.cwd(), dir));
  }
} finally {
  await pg.stop();
}
