import type pg from "pg";
import { isSealed, open, seal } from "./aes-gcm";

// Re-seals every stored ciphertext from an old ENCRYPTION_KEY to a new one, in one
// transaction: either every ciphertext is under the new key afterwards, or nothing changed.
// The portal seals the GitHub App private keys (RunnerRequest.privateKeyCiphertext, deleted
// once provisioning has put them in the cluster, but requests waiting for review keep theirs
// indefinitely), pasted kubeconfigs (Cluster.kubeconfigCiphertext), and the people's GitHub
// OAuth tokens (Account; lib/auth/sealed-adapter.ts). Tokens stored before they were sealed
// are plaintext: those are sealed under the new key here.

export interface RotationResult {
  /** Re-sealed under the new key. */
  rotated: number;
  /** Already under the new key (an earlier run that committed): left alone. */
  alreadyNew: number;
  /** Plaintext OAuth tokens from before tokens were sealed: sealed under the new key. */
  sealedPlaintext: number;
  /** Neither key opens these ("Table.column id"; a private key: its request id): nothing was changed. */
  unreadable: string[];
  committed: boolean;
}

/** Every sealed column; `legacyPlaintext`: values written before sealing may be plaintext. */
const SEALED_COLUMNS = [
  { table: "RunnerRequest", column: "privateKeyCiphertext", legacyPlaintext: false },
  { table: "Cluster", column: "kubeconfigCiphertext", legacyPlaintext: false },
  { table: "Account", column: "access_token", legacyPlaintext: true },
  { table: "Account", column: "refresh_token", legacyPlaintext: true },
  { table: "Account", column: "id_token", legacyPlaintext: true },
] as const;

export async function rotateEncryptionKey(
  client: pg.ClientBase,
  keys: { oldKey: string; newKey: string },
  opts: { dryRun?: boolean } = {},
): Promise<RotationResult> {
  const result: RotationResult = { rotated: 0, alreadyNew: 0, sealedPlaintext: 0, unreadable: [], committed: false };
  await client.query("BEGIN");
  try {
    for (const { table, column, legacyPlaintext } of SEALED_COLUMNS) {
      // FOR UPDATE: a row written meanwhile waits for this transaction, never loses its secret.
      const { rows } = await client.query<{ id: string; ciphertext: string }>(
        `SELECT id, "${column}" AS ciphertext FROM "${table}" WHERE "${column}" IS NOT NULL ORDER BY id FOR UPDATE`,
      );
      for (const row of rows) {
        let plaintext: string;
        if (legacyPlaintext && !isSealed(row.ciphertext)) {
          plaintext = row.ciphertext;
          result.sealedPlaintext++;
        } else {
          try {
            plaintext = open(row.ciphertext, keys.oldKey);
            result.rotated++;
          } catch {
            if (opensWith(row.ciphertext, keys.newKey)) result.alreadyNew++;
            else result.unreadable.push(table === "RunnerRequest" ? row.id : `${table}.${column} ${row.id}`);
            continue;
          }
        }
        // Only the ciphertext changes: no version bump, no updatedAt; nothing a person did.
        await client.query(`UPDATE "${table}" SET "${column}" = $1 WHERE id = $2`, [seal(plaintext, keys.newKey), row.id]);
      }
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
