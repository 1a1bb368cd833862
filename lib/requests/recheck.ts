import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { appendEvent } from "@/lib/audit";
import { open } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict } from "@/lib/http-errors";
import { recheckOutcome, runGitHubCheck } from "./github-checks";
import { getRequest } from "./queries";

/**
 * Asks GitHub again about a stored request, with the stored (encrypted) key while the portal
 * still holds it. The requester's access is asked as the requester (their sign-in token), also
 * when a reviewer asks: it is their standing the request depends on. The timeline records it.
 */
export async function recheckGitHub(actor: Actor, id: string) {
  const r = await getRequest(actor, id);
  const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: r.id }, select: { privateKeyCiphertext: true } });
  if (!row.privateKeyCiphertext) throw conflict("The private key is no longer held by the portal (it is in the cluster), so the credentials cannot be checked from here.");
  const check = await runGitHubCheck(
    r.requester,
    { appId: r.spec.githubApp.appId, installationId: r.spec.githubApp.installationId, githubConfigUrl: r.spec.githubConfigUrl },
    open(row.privateKeyCiphertext, env().ENCRYPTION_KEY),
  );
  await db.$transaction(async (tx) => {
    await tx.runnerRequest.update({ where: { id: r.id }, data: { githubCheck: check as unknown as Prisma.InputJsonValue } });
    await appendEvent(tx, { requestId: r.id, actorId: actor.id, type: "github_recheck", message: recheckOutcome(check) });
  });
  return check;
}
