import "server-only";
import { db } from "@/lib/db";
import { tooManyRequests } from "@/lib/http-errors";

export interface Limit {
  name: string;
  max: number;
  windowSeconds: number;
  /** What the person was trying to do, for the message. */
  what: string;
  /** What they can do meanwhile, when there is something to say. */
  advice?: string;
}

export const LIMITS = {
  submit: { name: "submit", max: 60, windowSeconds: 3600, what: "submit requests" },
  githubCheck: { name: "github-check", max: 20, windowSeconds: 600, what: "check credentials with GitHub" },
  // Each save is a timeline entry; the form saves only when asked, so 30 in 10 minutes is generous.
  draftSave: { name: "draft-save", max: 30, windowSeconds: 600, what: "save a draft", advice: "Your answers stay in the form until you save again." },
  teamMembers: { name: "team-members", max: 30, windowSeconds: 3600, what: "add or remove team members" },
} satisfies Record<string, Limit>;

/**
 * Counts one use of `limit` by `userId` in the current window and refuses
 * (429) beyond the maximum. The counter lives in PostgreSQL, so it holds
 * across replicas; one atomic upsert per call.
 */
export async function consume(limit: Limit, userId: string): Promise<void> {
  const now = Date.now();
  const windowStart = new Date(now - (now % (limit.windowSeconds * 1000)));
  const key = `${limit.name}:${userId}`;
  const [row] = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitWindow" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1
    RETURNING "count"`;
  if ((row?.count ?? 0) > limit.max) {
    const wait = Math.ceil((windowStart.getTime() + limit.windowSeconds * 1000 - now) / 1000);
    const message = `You can ${limit.what} at most ${limit.max} times in ${limit.windowSeconds / 60} minutes. Try again in ${Math.ceil(wait / 60)} min.`;
    throw tooManyRequests(limit.advice ? `${message} ${limit.advice}` : message, wait);
  }
}
