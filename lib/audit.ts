import "server-only";
import type { Prisma, RequestStatus } from "@/lib/generated/prisma/client";

export interface EventInput {
  requestId: string;
  actorId: string | null;
  type: string;
  from?: RequestStatus | null;
  to?: RequestStatus | null;
  message?: string | null;
  /** { field: { before, after } }; never a secret, only its fingerprint. */
  changes?: Record<string, { before: unknown; after: unknown }> | null;
}

/** Appends to a request's timeline. There is no update or delete: the database refuses both. */
export async function appendEvent(tx: Prisma.TransactionClient, e: EventInput) {
  return tx.requestEvent.create({
    data: {
      requestId: e.requestId,
      actorId: e.actorId,
      type: e.type,
      fromStatus: e.from ?? null,
      toStatus: e.to ?? null,
      message: e.message ?? null,
      changes: (e.changes ?? undefined) as Prisma.InputJsonValue | undefined,
    },
  });
}
