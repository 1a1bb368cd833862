import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { SESSION_MAX_AGE_SECONDS } from "./session-cookie";

/** A database session of the same shape next-auth's adapter writes. */
export async function createSession(userId: string): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString("hex");
  const expires = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  await db.session.create({ data: { sessionToken: token, userId, expires } });
  return { token, expires };
}
