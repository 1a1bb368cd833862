import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { conflict, notFoundError } from "@/lib/http-errors";

// People are deactivated, not deleted: the append-only audit (RequestEvent, ClusterSettingsEvent)
// names them, and its foreign keys are ON DELETE RESTRICT, so the database refuses to delete
// anyone who ever acted. A deactivated person cannot sign in (authOptions' signIn callback)
// and loses every session at once.

/** Whether this person may sign in: not when an admin deactivated them. */
export function maySignIn(user: { deactivatedAt?: Date | string | null } | null | undefined): boolean {
  return !user?.deactivatedAt;
}

export async function deactivateUser(userId: string): Promise<{ sessionsEnded: number }> {
  return db.$transaction(async (tx) => {
    const result = await endAccess(tx, userId);
    if (!result.found) throw notFoundError("That person does not exist.");
    return { sessionsEnded: result.sessionsEnded };
  });
}

/** Marks the person deactivated (if not already) and deletes every session of theirs, inside the caller's transaction. */
export async function endAccess(tx: Prisma.TransactionClient, userId: string): Promise<{ found: boolean; sessionsEnded: number }> {
  const updated = await tx.user.updateMany({ where: { id: userId, deactivatedAt: null }, data: { deactivatedAt: new Date() } });
  if (updated.count === 0 && !(await tx.user.findUnique({ where: { id: userId }, select: { id: true } }))) {
    return { found: false, sessionsEnded: 0 };
  }
  const { count } = await tx.session.deleteMany({ where: { userId } });
  return { found: true, sessionsEnded: count };
}

/**
 * Deletes a person who never acted (a sign-in by mistake, say). Anyone the audit names is
 * refused with a 409 that says to deactivate them instead; the audit is left as it is.
 */
export async function deleteUser(userId: string): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { login: true } });
  if (!user) throw notFoundError("That person does not exist.");
  try {
    await db.user.delete({ where: { id: userId } });
  } catch (err) {
    // P2003: a foreign key refused it (the audit, or requests they made).
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2003") {
      throw conflict(
        `@${user.login} cannot be deleted: the audit trail names them (requests or decisions they made), and it is append-only. Deactivate them instead: they can no longer sign in, and the audit keeps their name.`,
      );
    }
    throw err;
  }
}
