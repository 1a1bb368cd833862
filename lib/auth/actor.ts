import "server-only";
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { authOptions } from "./options";
import { sessionCookie } from "./session-cookie";

/** The signed-in person as every authorisation decision sees them. */
export interface Actor {
  id: string;
  login: string;
  name: string | null;
  role: Role;
  teamIds: string[];
}

export async function currentActor(): Promise<Actor | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) {
    // next-auth reads a session it cannot look up as "nobody". With a session
    // cookie that means the database is down: say so (503), not "sign in" (401).
    if ((await cookies()).has(sessionCookie().name)) await db.$queryRaw`SELECT 1`;
    return null;
  }
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, login: true, name: true, role: true, memberships: { select: { teamId: true } } },
  });
  if (!user) return null;
  return { id: user.id, login: user.login, name: user.name, role: user.role, teamIds: user.memberships.map((m) => m.teamId) };
}
