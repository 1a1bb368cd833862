import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { markDatabaseDown } from "@/lib/database-down";
import { personForSession, type SessionPerson } from "./sessions";
import { sessionCookie } from "./session-cookie";

/** The signed-in person as every authorisation decision sees them. */
export type Actor = SessionPerson;

/**
 * Who sent this request: the session cookie next-auth set at sign-in, resolved by one query
 * (lib/auth/sessions.ts) instead of next-auth's getServerSession. Sign-in and sign-out stay
 * next-auth's. With a cookie and the database down, the query throws: the gate answers 503
 * ("the database is unavailable"), not 401 ("sign in"), and a page shows the unavailable page.
 * Route handlers and server actions call this once each, through the gate.
 */
export async function currentActor(): Promise<Actor | null> {
  const token = (await cookies()).get(sessionCookie().name)?.value;
  if (!token) return null;
  try {
    return await personForSession(token);
  } catch (err) {
    throw markDatabaseDown(err);
  }
}

/**
 * currentActor for server components: the layout and the page's pageActor share one lookup per
 * render (a failed one too, so both see the same database-down error). Not for route handlers:
 * once Next has rendered a page, React's cache is active process-wide and, outside a render,
 * builds a fresh empty cache on every call, which the benchmarked API path does not need.
 */
export const renderActor = cache(currentActor);
