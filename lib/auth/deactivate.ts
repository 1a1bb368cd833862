import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";

// People are deactivated, not deleted: the append-only audit (RequestEvent, ClusterSettingsEvent)
// names them, and its foreign keys are ON DELETE RESTRICT, so the database refuses to delete
// anyone who ever acted. A deactivated person (lib/people/activation.ts, the People page)
// cannot sign in (authOptions' signIn callback) and loses every session at once.

/** Whether this person may sign in: not when an admin deactivated them. */
export function maySignIn(user: { deactivatedAt?: Date | string | null } | null | undefined): boolean {
  return !user?.deactivatedAt;
}

/**
 * Marks the person deactivated and deletes every session of theirs, inside the caller's
 * transaction, which has found them and locked their row (deactivatePerson).
 */
export async function endAccess(tx: Prisma.TransactionClient, userId: string): Promise<{ sessionsEnded: number }> {
  await tx.user.update({ where: { id: userId }, data: { deactivatedAt: new Date() } });
  const { count } = await tx.session.deleteMany({ where: { userId } });
  return { sessionsEnded: count };
}
