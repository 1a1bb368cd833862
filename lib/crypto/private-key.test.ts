import { execFileSync } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PrivateKeyError, privateKeyFingerprint, privateKeyProblem } from "./private-key";

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PKCS1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const PKCS8 = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const small = generateKeyPairSync("rsa", { modulusLength: 1024 });

// A well-formed DER SEQUENCE that is no key: it passes the structural check, not the parser.
const NOT_A_KEY = `-----BEGIN RSA PRIVATE KEY-----\n${Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]).toString("base64")}\n-----END RSA PRIVATE KEY-----\n`;

function truncated(pem: string): string {
  const lines = pem.trim().split("\n");
  return [...lines.slice(0, 8), lines[lines.length - 1]].join("\n");
}

function opensslFingerprint(pem: string): string {
  const der = execFileSync("openssl", ["pkey", "-pubout", "-outform", "DER"], { input: pem });
  const digest = execFileSync("openssl", ["dgst", "-sha256", "-binary"], { input: der });
  return `SHA256:${execFileSync("base64", { input: digest }).toString().trim()}`;
}

const REJECTED: [string, string, RegExp][] = [
  ["an EC key (SEC1)", ec.privateKey.export({ type: "sec1", format: "pem" }).toString(), /^Private key must be an RSA private key .*not an EC key$/],
  ["an EC key (PKCS#8)", ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), /^Private key must be an RSA private key/],
  [
    "an encrypted key",
    rsa.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" }).toString(),
    /^Private key must not be encrypted/,
  ],
  ["a truncated key", truncated(PKCS1), /^Private key is truncated/],
  ["a key whose contents do not parse", NOT_A_KEY, /^Private key could not be read as a private key/],
  ["a 1024-bit RSA key", small.privateKey.export({ type: "pkcs1", format: "pem" }).toString(), /^Private key must be at least 2048 bits$/],
  ["a public key", rsa.publicKey.export({ type: "spki", format: "pem" }).toString(), /^Private key must be an RSA private key .*not a public key$/],
];

describe("privateKeyProblem", () => {
  it("accepts an unencrypted RSA key in PKCS#1 and PKCS#8 form", () => {
    expect(privateKeyProblem(PKCS1)).toBeUndefined();
    expect(privateKeyProblem(PKCS8)).toBeUndefined();
    expect(privateKeyProblem(PKCS1.replaceAll("\n", "\r\n"))).toBeUndefined();
  });

  it.each(REJECTED)("rejects %s with a message that does not contain the key", (_name, pem, rule) => {
    const problem = privateKeyProblem(pem);
    expect(problem).toMatch(rule);
    for (const line of pem.split("\n").filter((l) => l.length > 16 && !l.startsWith("-----"))) {
      expect(problem).not.toContain(line);
    }
  });
});

describe("privateKeyFingerprint", () => {
  const fingerprint = privateKeyFingerprint(PKCS1);

  it("is SHA256 of the DER public key, as openssl and GitHub compute it", () => {
    expect(fingerprint).toBe(opensslFingerprint(PKCS1));
    const spki = rsa.publicKey.export({ type: "spki", format: "der" });
    expect(fingerprint).toBe(`SHA256:${createHash("sha256").update(spki).digest("base64")}`);
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}=$/);
  });

  it("is stable across encodings of the same key and unique to it", () => {
    expect(privateKeyFingerprint(PKCS8)).toBe(fingerprint);
    expect(privateKeyFingerprint(`\n${PKCS1.replaceAll("\n", "\r\n")}  `)).toBe(fingerprint);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    expect(privateKeyFingerprint(other.export({ type: "pkcs1", format: "pem" }).toString())).not.toBe(fingerprint);
  });

  it.each(REJECTED)("throws a PrivateKeyError for %s", (_name, pem, rule) => {
    expect(() => privateKeyFingerprint(pem)).toThrow(PrivateKeyError);
    expect(() => privateKeyFingerprint(pem)).toThrow(rule);
  });
});
