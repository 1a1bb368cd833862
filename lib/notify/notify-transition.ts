import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { RequestStatus } from "@/lib/generated/prisma/enums";
import { log } from "@/lib/log";
import { queueWebhook } from "./queue";
import { noticeKind, webhookMessage } from "./webhook-message";

/** After a committed status change: tells the webhook, if configured and if the change is worth telling. */
export async function notifyTransition(requestId: string, to: RequestStatus, actorId: string | null, reason: string | null): Promise<void> {
  const kind = noticeKind(to);
  if (!kind || !env().WEBHOOK_URL) return;
  try {
    const r = await db.runnerRequest.findUniqueOrThrow({ where: { id: requestId }, include: { team: true } });
    const actor = actorId ? await db.user.findUnique({ where: { id: actorId }, select: { login: true } }) : null;
    await queueWebhook(
      webhookMessage({
        kind,
        requestId,
        number: r.number,
        label: r.label,
        team: r.team.name,
        status: to,
        actor: actor?.login ?? null,
        reason,
        url: `${env().NEXTAUTH_URL}/requests/${requestId}`,
      }),
    );
  } catch (err) {
    log.warn("webhook notice skipped", { requestId, error: (err as Error).message });
  }
}
