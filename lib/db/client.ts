import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export function createPool(connectionString: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
}

/** Prisma on `pool`: the portal passes its one pool, which the hottest reads also use directly (lib/db.ts). */
export function createPrismaClient(connectionString: string, max = 10, pool = createPool(connectionString, max)): PrismaClient {
  // The pool is this client's: $disconnect ends it, as when the adapter made its own.
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}
