import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal } from "./secret-box";

const key = randomBytes(32).toString("base64");
const secret = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----\n";

describe("secret box", () => {
  it("round-trips and never contains the plaintext", () => {
    const sealed = seal(secret, key);
    expect(sealed).not.toContain("PRIVATE KEY");
    expect(sealed).not.toContain(Buffer.from(secret).toString("base64").slice(0, 20));
    expect(open(sealed, key)).toBe(secret);
  });
  it("uses a fresh nonce each time", () => {
    expect(seal(secret, key)).not.toBe(seal(secret, key));
  });
  it("refuses a wrong key and a tampered ciphertext", () => {
    const sealed = seal(secret, key);
    expect(() => open(sealed, randomBytes(32).toString("base64"))).toThrow();
    const parts = sealed.split(":");
    const body = Buffer.from(parts[3]!, "base64");
    body[0]! ^= 1;
    parts[3] = body.toString("base64");
    expect(() => open(parts.join(":"), key)).toThrow();
    expect(() => open("v0:a:b:c", key)).toThrow(/known version/);
  });
});
