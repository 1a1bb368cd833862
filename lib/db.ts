import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createPrismaClient } from "@/lib/db/client";
import { env } from "@/lib/env";

// Created on first use, not at import: `next build` imports every route to
// read its config, with no database or secrets around. Kept on globalThis
// because the dev server re-evaluates modules on change.
const holder = globalThis as unknown as { prisma?: PrismaClient };

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_, prop) {
    holder.prisma ??= createPrismaClient(env().DATABASE_URL);
    const value = Reflect.get(holder.prisma, prop);
    return typeof value === "function" ? value.bind(holder.prisma) : value;
  },
});
