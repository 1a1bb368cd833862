import "server-only";
import type { Prisma, Role, TeamEventAction } from "@/lib/generated/prisma/client";

/** Appends to a team's membership history. There is no update or delete: the database refuses both. */
export function appendTeamEvent(
  tx: Prisma.TransactionClient,
  e: { teamId: string; actorId: string | null; action: TeamEventAction; targetLogin: string; targetRole?: Role | null },
) {
  return tx.teamEvent.create({ data: e });
}
