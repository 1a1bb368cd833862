import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

// Prisma 7's `migrate diff` needs a schema engine binary downloaded from
// Prisma's servers. Prisma 6.19's JavaScript engine (tools/prisma-diff) turns
// a datamodel into SQL offline, which is all we need to write migrations and
// to check them against schema.prisma.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const toolDir = path.join(root, "tools/prisma-diff");

async function ensureTool(): Promise<string> {
  const bin = path.join(toolDir, "node_modules/prisma/build/index.js");
  if (!existsSync(bin)) await run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: toolDir });
  return bin;
}

/** Prisma 6 requires a datasource url and knows no `prisma-client` generator options. */
function forPrisma6(schema: string): string {
  return schema
    .replace(/generator\s+\w+\s*\{[^}]*\}/g, "")
    .replace(/datasource\s+db\s*\{[^}]*\}/, 'datasource db {\n  provider = "postgresql"\n  url = "postgresql://unused"\n}');
}

/**
 * SQL that takes a database from the `from` datamodel (or empty) to `to`.
 * `databaseUrl` must reach a live PostgreSQL server; nothing is written to it.
 */
export async function diffSql(opts: { from?: string; to: string; databaseUrl: string }): Promise<string> {
  const bin = await ensureTool();
  const dir = await mkdtemp(path.join(os.tmpdir(), "prisma-diff-"));
  try {
    const to = path.join(dir, "to.prisma");
    await writeFile(to, forPrisma6(opts.to));
    const fromArgs = ["--from-empty"];
    if (opts.from !== undefined) {
      const from = path.join(dir, "from.prisma");
      await writeFile(from, forPrisma6(opts.from));
      fromArgs.splice(0, 1, "--from-schema-datamodel", from);
    }
    const { stdout } = await run(
      process.execPath,
      [bin, "migrate", "diff", ...fromArgs, "--to-schema-datamodel", to, "--script"],
      {
        cwd: toolDir,
        env: {
          ...process.env,
          PRISMA_DIFF_SCHEMA: to,
          PRISMA_DIFF_DATABASE_URL: opts.databaseUrl,
          // Present but never executed in JS-engine mode; stops download attempts.
          PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
          PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
          PRISMA_HIDE_UPDATE_MESSAGE: "1",
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return stdout.replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/, "");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function readSchema(): Promise<string> {
  return readFile(path.join(root, "prisma/schema.prisma"), "utf8");
}
