import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export function createPrismaClient(connectionString: string, max = 10): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max, connectionTimeoutMillis: 5_000 }),
  });
}
