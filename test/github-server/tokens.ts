// Random identifiers in the formats GitHub uses, so code that sniffs prefixes
// (gho_ user tokens, ghs_ installation tokens) sees what it would in production.
import { randomBytes, randomInt } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** e.g. newToken("gho") → "gho_" + 36 base62 characters. */
export function newToken(prefix: "gho" | "ghu" | "ghs" | "ghp"): string {
  let body = "";
  for (let i = 0; i < 36; i++) body += BASE62[randomInt(BASE62.length)];
  return `${prefix}_${body}`;
}

/** OAuth authorisation codes are 20 hex characters on github.com. */
export function newCode(): string {
  return randomBytes(10).toString("hex");
}

/** Shaped like GitHub's x-github-request-id, e.g. "C0DE:1A2B:3C4D5E:6F7A8B:66A0B1C2". */
export function newRequestId(): string {
  const hex = (bytes: number) => randomBytes(bytes).toString("hex").toUpperCase();
  return `${hex(2)}:${hex(2)}:${hex(3)}:${hex(3)}:${hex(4)}`;
}
