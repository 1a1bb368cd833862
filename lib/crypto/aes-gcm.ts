import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// AES-256-GCM with a key from the environment. The format carries a version
// so that a key rotation can tell old ciphertexts from new ones. No "server-only"
// marker here: the key-rotation one-shot (scripts/rotate-encryption-key.ts) runs
// outside Next; app code imports ./secret-box, which keeps the marker.
const VERSION = "v1";

function keyBytes(base64Key: string): Buffer {
  const key = Buffer.from(base64Key, "base64");
  if (key.length !== 32) throw new Error("encryption key must be 32 bytes");
  return key;
}

export function seal(plaintext: string, base64Key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyBytes(base64Key), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
}

export function open(sealed: string, base64Key: string): string {
  const [version, iv, tag, body] = sealed.split(":");
  if (version !== VERSION || !iv || !tag || !body) throw new Error("not a sealed secret of a known version");
  const decipher = createDecipheriv("aes-256-gcm", keyBytes(base64Key), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
}

/** Whether the value has the shape of a sealed secret (not whether a given key opens it). */
export function isSealed(value: string): boolean {
  const parts = value.split(":");
  return parts.length === 4 && parts[0] === VERSION && parts.slice(1).every((p) => p.length > 0 && /^[A-Za-z0-9+/=]+$/.test(p));
}
