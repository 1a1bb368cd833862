import type pg from "pg";
import { open, seal } from "./aes-gcm";

// Re-seals every stored GitHub App private key from an old ENCRYPTION_KEY to a new one, in
// one transaction: either every ciphertext is under the new key afterwards, or nothing
// changed. Private keys are the only ciphertexts the portal stores
// (RunnerRequest.privateKeyCiphertext), and each is deleted once provisioning has put it
// in the cluster, but requests waiting for review keep theirs indefinitely, so waiting
// for the table to drain is not a rotation plan.

export interface RotationResult {
  /** Re-sealed under the new key. */
  rotated: number;
  /** Already under the new key (an earlier run that committed): left alone. */
  alreadyNew: number;
  /** Neither key opens these: nothing was changed. */
  unreadable: string[];
  committed: boolean;
}

export async function rotateEncryptionKey(
  client: pg.ClientBase,
  keys: { oldKey: string; newKey: string },
  opts: { dryRun?: boolean } = {},
): Promise<RotationResult> {
  const result: RotationResult = { rotated: 0, alreadyNew: 0, unreadable: [], committed: false };
  await client.query("BEGIN");
  try {
    // FOR UPDATE: a request edited meanwhile waits for this transaction, never loses its key.
    const { rows } = await client.query<{ id: string; ciphertext: string }>(
      `SELECT id, "privateKeyCiphertext" AS ciphertext FROM "RunnerRequest" WHERE "privateKeyCiphertext" IS NOT NULL ORDER BY id FOR UPDATE`,
    );
    for (const row of rows) {
      let plaintext: string;
      try {
        plaintext = open(row.ciphertext, keys.oldKey);
      } catch {
        if (opensWith(row.ciphertext, keys.newKey)) result.alreadyNew++;
        else result.unreadable.push(row.id);
        continue;
      }
      // Only the ciphertext changes: no version bump, no updatedAt; nothing a person did.
      await client.query(`UPDATE "RunnerRequest" SET "privateKeyCiphertext" = $1 WHERE id = $2`, [seal(plaintext, keys.newKey), row.id]);
      result.rotated++;
    }
    if (result.unreadable.length > 0 || opts.dryRun) {
      await client.query("ROLLBACK");
      return result;
    }
    await client.query("COMMIT");
    result.committed = true;
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
}

function opensWith(ciphertext: string, key: string): boolean {
  try {
    open(ciphertext, key);
    return true;
  } catch {
    return false;
  }
}
