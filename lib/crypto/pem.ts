// Structural check of a GitHub App private key, without node:crypto, so that the form can
// say what is wrong while the person types. The server repeats the check and then parses
// the key for real (private-key.ts). No message ever contains the key's text.

const MAX_PEM_LENGTH = 16_384;

// rsaEncryption, 1.2.840.113549.1.1.1, as DER: the algorithm of a PKCS#8 RSA key.
const RSA_ENCRYPTION_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

const OTHER_KINDS: [RegExp, string][] = [
  [/-----BEGIN EC PRIVATE KEY-----/, "an EC key"],
  [/-----BEGIN OPENSSH PRIVATE KEY-----/, "an OpenSSH key"],
  [/-----BEGIN DSA PRIVATE KEY-----/, "a DSA key"],
  [/-----BEGIN (RSA )?PUBLIC KEY-----/, "a public key"],
  [/-----BEGIN CERTIFICATE-----/, "a certificate"],
];

const BLOCK = /^-----BEGIN (RSA PRIVATE KEY|PRIVATE KEY)-----\n([^]*?)\n?-----END (RSA PRIVATE KEY|PRIVATE KEY)-----$/;

/** The PEM with Windows line ends and surrounding blank space removed. */
export function normalisePem(text: string): string {
  return text.replace(/\r\n?/g, "\n").trim();
}

/** Why this text is not an unencrypted RSA private key in PEM form, or undefined if it looks like one. */
export function pemProblem(text: string): string | undefined {
  const pem = normalisePem(text);
  if (pem.length === 0) return "Private key is required";
  if (pem.length > MAX_PEM_LENGTH) {
    return "Private key is too long for a GitHub App key (at most 16 KB)";
  }
  if (/ENCRYPTED/.test(pem)) {
    return "Private key must not be encrypted: use the .pem file exactly as GitHub generated it";
  }
  for (const [pattern, kind] of OTHER_KINDS) {
    if (pattern.test(pem)) return `Private key must be an RSA private key (GitHub App keys are RSA), not ${kind}`;
  }
  const begins = pem.match(/-----BEGIN [A-Z0-9 ]+-----/g) ?? [];
  if (begins.length === 0) {
    return "Private key must be a PEM file starting with -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----";
  }
  if (begins.length > 1) return "Private key must contain exactly one key";
  if (!pem.startsWith(begins[0] ?? "")) {
    return "Private key must start with its -----BEGIN line (remove any text before it)";
  }
  const ends = pem.match(/-----END [A-Z0-9 ]+-----/g) ?? [];
  if (ends.length === 0) return "Private key is incomplete: its -----END line is missing";
  if (!pem.endsWith(ends[ends.length - 1] ?? "")) {
    return "Private key must end with its -----END line (remove any text after it)";
  }
  const block = BLOCK.exec(pem);
  if (!block) {
    return "Private key must be an RSA private key in PEM form (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)";
  }
  const [, kind = "", rawBody = "", endKind = ""] = block;
  if (kind !== endKind) return "Private key's BEGIN and END lines do not match";
  const body = rawBody.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) {
    return "Private key body must be base64 (letters, digits, '+', '/' and '=')";
  }
  if (body.length % 4 !== 0) return "Private key is truncated: its base64 body is incomplete";
  const der = decodeBase64(body);
  if (!isCompleteDerSequence(der)) return "Private key is truncated or damaged: its contents are incomplete";
  if (kind === "PRIVATE KEY" && !startsWithRsaAlgorithm(der)) {
    return "Private key must be an RSA private key (GitHub App keys are RSA), not another key type";
  }
  return undefined;
}

function decodeBase64(body: string): Uint8Array {
  const binary = atob(body);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Whether the bytes are exactly one DER SEQUENCE whose declared length matches. */
function isCompleteDerSequence(der: Uint8Array): boolean {
  if (der.length < 2 || der[0] !== 0x30) return false;
  const first = der[1] ?? 0;
  if (first < 0x80) return der.length === 2 + first;
  const lengthBytes = first & 0x7f;
  if (lengthBytes === 0 || lengthBytes > 3 || der.length < 2 + lengthBytes) return false;
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + (der[2 + i] ?? 0);
  return der.length === 2 + lengthBytes + length;
}

// PKCS#8 PrivateKeyInfo starts SEQUENCE { INTEGER 0, SEQUENCE { OID, ... } }: the algorithm
// OID sits within the first few dozen bytes.
function startsWithRsaAlgorithm(der: Uint8Array): boolean {
  const head = der.subarray(0, 32);
  outer: for (let i = 0; i + RSA_ENCRYPTION_OID.length <= head.length; i++) {
    for (let j = 0; j < RSA_ENCRYPTION_OID.length; j++) {
      if (head[i + j] !== RSA_ENCRYPTION_OID[j]) continue outer;
    }
    return true;
  }
  return false;
}
