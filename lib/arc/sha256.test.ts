import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "./sha256";

describe("sha256Hex", () => {
  it.each([
    ["empty", ""],
    ["short", "abc"],
    ["55 bytes, one block with length", "a".repeat(55)],
    ["56 bytes, spills into a second block", "a".repeat(56)],
    ["exactly one block", "b".repeat(64)],
    ["multi-byte UTF-8", "Équipe ü € 😀".repeat(50)],
    ["large", "x".repeat(100_000)],
  ])("matches node:crypto for %s input", (_name, text) => {
    expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
  });
});
