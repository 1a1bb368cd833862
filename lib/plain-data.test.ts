import { describe, expect, it } from "vitest";
import { plainData } from "./plain-data";

describe("plainData", () => {
  it("copies deeply: changing the copy leaves the original alone", () => {
    const original = { a: { b: [1, { c: "x" }] } };
    const copy = plainData(original);
    (copy.a.b[1] as { c: string }).c = "y";
    expect(original).toEqual({ a: { b: [1, { c: "x" }] } });
  });

  it("drops undefined fields and turns Dates into strings, as a values file would", () => {
    const copy = plainData({ kept: 1, gone: undefined, when: new Date("2026-01-02T03:04:05Z") });
    expect(Object.keys(copy)).toEqual(["kept", "when"]);
    expect(copy.when).toBe("2026-01-02T03:04:05.000Z");
  });

  it("gives undefined back rather than failing to parse it", () => {
    expect(plainData(undefined)).toBeUndefined();
  });
});
