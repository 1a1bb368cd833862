import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { appendEvent } from "@/lib/audit";
import { open } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict } from "@/lib/http-errors";
import { appKeyFromCluster } from "./cluster-app-key";
import { recheckOutcome, runGitHubCheck } from "./github-checks";
import { getRequest } from "./queries";

/**
 * Asks GitHub again about a stored request, about its requester's standing (whoever asks: it is
 * their standing the request depends on), with the sealed key while the portal holds it, else
 * with the key read from the cluster Secret. The timeline records it.
 */
export async function recheckGitHub(actor: Actor, id: string) {
  const r = await getRequest(actor, id);
  const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: r.id }, select: { privateKeyCiphertext: true } });
  let privateKey: string;
  if (row.privateKeyCiphertext) {
    privateKey = open(row.privateKeyCiphertext, env().ENCRYPTION_KEY);
  } else {
    const key = await appKeyFromCluster(r);
    if (key.status !== "ok") throw conflict(`The private key is no longer held by the portal, and it could not be read from the cluster either: ${key.message}`);
    privateKey = key.privateKey;
  }
  const check = await runGitHubCheck(
    r.requester,
    { appId: r.spec.githubApp.appId, installationId: r.spec.githubApp.installationId, githubConfigUrl: r.spec.githubConfigUrl },
    privateKey,
  );
  await db.$transaction(async (tx) => {
    await tx.runnerRequest.update({ where: { id: r.id }, data: { githubCheck: check as unknown as Prisma.InputJsonValue } });
    await appendEvent(tx, { requestId: r.id, actorId: actor.id, type: "github_recheck", message: recheckOutcome(check) });
  });
  return check;
}
