import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { normalisePem, pemProblem } from "./pem";

// Server-side check of a GitHub App private key: it must really parse, as RSA, unencrypted.
// Messages are fixed sentences; neither the key nor the parser's error text is ever echoed.

const MIN_RSA_BITS = 2048;

export class PrivateKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PrivateKeyError";
  }
}

function readRsaKey(text: string): KeyObject {
  const structural = pemProblem(text);
  if (structural) throw new PrivateKeyError(structural);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: normalisePem(text), format: "pem" });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_MISSING_PASSPHRASE") {
      throw new PrivateKeyError("Private key must not be encrypted: use the .pem file exactly as GitHub generated it");
    }
    throw new PrivateKeyError("Private key could not be read as a private key: it may be damaged or truncated");
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new PrivateKeyError("Private key must be an RSA private key (GitHub App keys are RSA)");
  }
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw new PrivateKeyError(`Private key must be at least ${MIN_RSA_BITS} bits`);
  }
  return key;
}

/** Why this is not a usable GitHub App private key, or undefined if it is one. */
export function privateKeyProblem(text: string): string | undefined {
  try {
    readRsaKey(text);
    return undefined;
  } catch (error) {
    if (error instanceof PrivateKeyError) return error.message;
    throw error;
  }
}

/**
 * SHA256:<base64> of the DER SubjectPublicKeyInfo of the key's public half: the same value
 * GitHub shows for the key on the App's settings page, so a person can match the two.
 * Throws PrivateKeyError if the text is not a usable GitHub App private key.
 */
export function privateKeyFingerprint(text: string): string {
  const spki = createPublicKey(readRsaKey(text)).export({ type: "spki", format: "der" });
  return `SHA256:${createHash("sha256").update(spki).digest("base64")}`;
}
