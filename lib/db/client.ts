import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

// A burst (200 people submitting at once, 100 approvals) queues for the pool's 10 connections;
// on a busy 2-core machine a turn took over 2 s, Prisma's default wait for a transaction, and
// those requests failed. Waiting up to 10 s keeps a burst whole; past that the gate answers 503
// with Retry-After (lib/database-down.ts), never 500.
const WAIT_FOR_CONNECTION_MS = 10_000;

export function createPool(connectionString: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString, max, connectionTimeoutMillis: WAIT_FOR_CONNECTION_MS });
}

/** Prisma on `pool`: the portal passes its one pool, which the hottest reads also use directly (lib/db.ts). */
export function createPrismaClient(connectionString: string, max = 10, pool = createPool(connectionString, max)): PrismaClient {
  // The pool is this client's: $disconnect ends it, as when the adapter made its own.
  return new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    transactionOptions: { maxWait: WAIT_FOR_CONNECTION_MS, timeout: 15_000 },
  });
}
