import "server-only";
import { cookies } from "next/headers";
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
