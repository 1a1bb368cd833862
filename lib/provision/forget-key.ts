import "server-only";
import { appendEvent } from "@/lib/audit";
import { db } from "@/lib/db";

/**
 * Deletes the request's encrypted private key once the cluster holds it, leaving only the
 * fingerprint. Only the ciphertext that was applied is deleted: should a newer key have
 * arrived meanwhile, it stays for the next run.
 */
export async function forgetPrivateKey(requestId: string, appliedCiphertext: string, fingerprint: string | null, secretRef: string) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.runnerRequest.updateMany({
      where: { id: requestId, privateKeyCiphertext: appliedCiphertext },
      data: { privateKeyCiphertext: null, version: { increment: 1 } },
    });
    if (count === 0) return;
    await appendEvent(tx, {
      requestId,
      actorId: null,
      type: "key_deleted",
      message: `Private key deleted from the portal's database; it is now only in ${secretRef}. Fingerprint ${fingerprint ?? "unknown"}.`,
    });
  });
}
