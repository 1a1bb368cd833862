import "server-only";
import type pg from "pg";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { createPool, createPrismaClient } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

// Created on first use, not at import: `next build` imports every route to
// read its config, with no database or secrets around. Kept on globalThis
// because the dev server re-evaluates modules on change.
const holder = globalThis as unknown as { prisma?: PrismaClient; pool?: pg.Pool };

function pool(): pg.Pool {
  if (!holder.pool) {
    holder.pool = createPool(env().DATABASE_URL);
    // An idle connection that breaks (PostgreSQL restarting) must not crash the process; the next query reconnects.
    holder.pool.on("error", (err) => log.warn("idle database connection failed", { error: err.message }));
  }
  return holder.pool;
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_, prop) {
    holder.prisma ??= createPrismaClient(env().DATABASE_URL, 10, pool());
    const value = Reflect.get(holder.prisma, prop);
    return typeof value === "function" ? value.bind(holder.prisma) : value;
  },
});

/**
 * Rows of one read-only statement, straight from pg on Prisma's own pool (no second pool).
 * For the reads every API call makes (the session) and the hottest lists, where Prisma's
 * per-value conversion of $queryRaw results was a measurable share of the answer (`npm run
 * bench`, row 1). pg's own types: int4 as number, text[] as arrays, int8 and numeric as text,
 * timestamps as Date in the process's time zone, so statements send times as text.
 */
export async function queryRows<T>(statement: Prisma.Sql): Promise<T[]> {
  return (await pool().query(statement.text, statement.values)).rows as T[];
}
