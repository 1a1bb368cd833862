import "server-only";
import { allows } from "@/lib/auth/gate";
import type { Actor } from "@/lib/auth/actor";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Which requests a person may see: reviewers and admins all of them, anyone
 * else only their own teams'. Every request query goes through this filter,
 * so another team's request is simply not found (404), never forbidden.
 */
export function visibleTo(actor: Actor): Prisma.RunnerRequestWhereInput {
  return allows(actor, "reviewer") ? {} : { teamId: { in: actor.teamIds } };
}

/** The same rule as a SQL condition on the RunnerRequest row `alias`, for the raw hot lists. */
export function visibleToSql(actor: Actor, alias: string): Prisma.Sql {
  return allows(actor, "reviewer") ? Prisma.sql`TRUE` : Prisma.sql`${Prisma.raw(`"${alias}"`)}."teamId" = ANY(${actor.teamIds}::text[])`;
}

/** The same rule as a cache key: two people with the same key see the same requests. */
export function visibilityKey(actor: Actor, opts: { mineOnly?: boolean } = {}): string {
  return !opts.mineOnly && allows(actor, "reviewer") ? "*" : [...actor.teamIds].sort().join(",");
}
