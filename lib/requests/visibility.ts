import "server-only";
import { allows } from "@/lib/auth/gate";
import type { Actor } from "@/lib/auth/actor";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Which requests a person may see: reviewers and admins all of them, anyone
 * else only their own teams'. Every request query goes through this filter,
 * so another team's request is simply not found (404), never forbidden.
 */
export function visibleTo(actor: Actor): Prisma.RunnerRequestWhereInput {
  return allows(actor, "reviewer") ? {} : { teamId: { in: actor.teamIds } };
}
