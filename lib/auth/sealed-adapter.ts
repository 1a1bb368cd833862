import "server-only";
import type { Adapter, AdapterAccount } from "next-auth/adapters";
import { isSealed, open, seal } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

// next-auth's Prisma adapter stores each person's OAuth tokens in Account as it gets them.
// They are bearer credentials for GitHub as that person, so they are sealed like the App
// private keys (ENCRYPTION_KEY, lib/crypto/secret-box.ts) before they reach the database.
// Rows written before sealing hold plaintext: read as they are, sealed at the person's next
// sign-in or first use (lib/github/user-token.ts), and by the key-rotation one-shot.

const TOKEN_FIELDS = ["access_token", "refresh_token", "id_token"] as const;
type TokenField = (typeof TOKEN_FIELDS)[number];
type WithTokens = Partial<Record<TokenField, string | null | undefined>>;

/** The account with its tokens sealed; other fields as they are. */
export function sealAccountTokens<T extends WithTokens>(account: T): T {
  const sealed: T = { ...account };
  for (const field of TOKEN_FIELDS) {
    const value = account[field];
    if (typeof value === "string" && value !== "" && !isSealed(value)) sealed[field] = seal(value, env().ENCRYPTION_KEY) as T[TokenField];
  }
  return sealed;
}

/**
 * A stored token in the clear: sealed ones opened, legacy plaintext as it is. Null when it
 * does not open with the current key (the person signs in again to get a new one).
 */
export function openAccountToken(stored: string | null | undefined): string | null {
  if (!stored) return null;
  if (!isSealed(stored)) return stored;
  try {
    return open(stored, env().ENCRYPTION_KEY);
  } catch {
    log.warn("a stored GitHub sign-in token does not open with ENCRYPTION_KEY; the person must sign in again");
    return null;
  }
}

/** The adapter with every Account write sealed. next-auth writes tokens only through linkAccount. */
export function sealedAdapter(adapter: Adapter): Adapter {
  const linkAccount = adapter.linkAccount;
  if (!linkAccount) return adapter;
  return { ...adapter, linkAccount: (account: AdapterAccount) => linkAccount(sealAccountTokens(account)) };
}
