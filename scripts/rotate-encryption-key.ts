import pg from "pg";
import { rotateEncryptionKey } from "@/lib/crypto/rotate-key";
import { log } from "@/lib/log";

// One-shot: re-seals the stored GitHub App private keys, kubeconfigs and sign-in tokens from OLD_ENCRYPTION_KEY to
// NEW_ENCRYPTION_KEY in one transaction (docs/operations.md, "Rotating ENCRYPTION_KEY").
//   npm run db:rotate-key [-- --dry-run]       in a checkout
//   node rotate-encryption-key.mjs [--dry-run] in the image
// The keys come from the environment, never the command line (shell history, ps).
// Exit codes: 0 done, 1 some ciphertexts open with neither key (nothing changed), 2 usage.

const validKey = (k: string | undefined): k is string => !!k && Buffer.from(k, "base64").length === 32;

async function main(): Promise<number> {
  const { DATABASE_URL, OLD_ENCRYPTION_KEY, NEW_ENCRYPTION_KEY } = process.env;
  const dryRun = process.argv.includes("--dry-run");
  const problems = [
    !DATABASE_URL && "DATABASE_URL is required: the portal's postgresql:// connection URL",
    !validKey(OLD_ENCRYPTION_KEY) && "OLD_ENCRYPTION_KEY must be the current key: 32 bytes, base64-encoded",
    !validKey(NEW_ENCRYPTION_KEY) && "NEW_ENCRYPTION_KEY must be the new key: 32 bytes, base64-encoded (openssl rand -base64 32)",
    OLD_ENCRYPTION_KEY && OLD_ENCRYPTION_KEY === NEW_ENCRYPTION_KEY && "NEW_ENCRYPTION_KEY must differ from OLD_ENCRYPTION_KEY",
  ].filter((p): p is string => typeof p === "string");
  if (problems.length > 0) {
    for (const p of problems) log.error("rotate-encryption-key: bad configuration", { problem: p });
    return 2;
  }
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const r = await rotateEncryptionKey(client, { oldKey: OLD_ENCRYPTION_KEY!, newKey: NEW_ENCRYPTION_KEY! }, { dryRun });
    const fields = { rotated: r.rotated, alreadyNew: r.alreadyNew, sealedPlaintext: r.sealedPlaintext, unreadable: r.unreadable, committed: r.committed, dryRun };
    if (r.unreadable.length > 0) {
      log.error("rotate-encryption-key: some ciphertexts open with neither key; nothing was changed", fields);
      return 1;
    }
    log.info(dryRun ? "rotate-encryption-key: dry run, nothing changed" : "rotate-encryption-key: done", fields);
    return 0;
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log.error("rotate-encryption-key failed", { error: err.message });
    process.exit(1);
  },
);
