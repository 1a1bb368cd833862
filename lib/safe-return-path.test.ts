import { describe, expect, it } from "vitest";
import { safeRedirectUrl, safeReturnPath } from "./safe-return-path";

// callbackUrl tricks that send a browser off-site (or break the Location header); each must fall back.
const TRICKS = [
  "//evil.example",
  "///evil.example",
  "https://evil.example/",
  "http:evil.example",
  "javascript:alert(1)",
  "evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example", // browsers drop the tab: "//evil.example"
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/requests\nSet-Cookie: x=1",
  " /requests",
  "/ /evil.example",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "/%5Cevil.example",
  "/%09/evil.example",
  "/%0a/evil.example",
  "/requests%0d%0aSet-Cookie:%20x=1",
  "/%E0%A4%A", // malformed percent-encoding
  "/\u2028/evil.example",
  "/ｅvil", // non-ASCII
  "",
];

describe("safeReturnPath", () => {
  it.each(TRICKS)("refuses %j", (raw) => expect(safeReturnPath(raw)).toBe("/requests"));

  it.each(["/review", "/requests?x=1", "/requests/abc#timeline", "/teams?q=a%20b", "/"])("keeps %j", (raw) => expect(safeReturnPath(raw)).toBe(raw));

  it("refuses a path longer than any the portal links to", () => expect(safeReturnPath(`/${"a".repeat(3000)}`)).toBe("/requests"));

  it("falls back to the caller's default for nothing at all", () => {
    expect(safeReturnPath(undefined, "/review")).toBe("/review");
    expect(safeReturnPath(null)).toBe("/requests");
  });
});

describe("safeRedirectUrl (next-auth's redirect callback)", () => {
  const base = "https://portal.example";
  it.each([
    ["/review", `${base}/review`],
    [`${base}/requests/1`, `${base}/requests/1`],
    ["https://evil.example/x", `${base}/requests`],
    ["https://portal.example.evil.example/", `${base}/requests`],
    ["/\t/evil.example", `${base}/requests`],
    ["not a url", `${base}/requests`],
  ])("%j → %j", (url, want) => expect(safeRedirectUrl(url, base)).toBe(want));
});
