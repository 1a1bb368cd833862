import { describe, expect, it } from "vitest";
import { applyOverlay, describeOverlay, diffOverlay, type ValuesData } from "./overlay";

function roundTrip(base: ValuesData, target: ValuesData) {
  const overlay = diffOverlay(base, target);
  expect(applyOverlay(base, overlay)).toStrictEqual(target);
  // Stored as JSON in the database.
  expect(applyOverlay(base, JSON.parse(JSON.stringify(overlay ?? null)))).toStrictEqual(target);
  return overlay;
}

describe("overlay diff and apply", () => {
  it("is empty for equal values", () => {
    expect(diffOverlay({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBeUndefined();
  });

  it("merges maps, removes keys with null, replaces scalars and unnamed lists", () => {
    const overlay = roundTrip(
      { a: 1, b: { c: 2, d: 3 }, e: [1, 2], gone: true },
      { a: 2, b: { c: 2, x: "y" }, e: [2] },
    );
    expect(overlay).toEqual({ a: 2, b: { x: "y", d: null }, e: [2], gone: null });
  });

  it("patches named lists by name, so positions may change underneath", () => {
    const base = { env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] };
    const overlay = roundTrip(base, { env: [{ name: "A", value: "1" }, { name: "B", value: "3" }, { name: "C", value: "4" }] });
    expect(overlay).toEqual({ env: { $byName: { B: { value: "3" }, C: { name: "C", value: "4" } }, $order: ["A", "B", "C"] } });
    // Another base with an extra item first: the patch still lands on B and C.
    expect(applyOverlay({ env: [{ name: "Z", value: "0" }, ...base.env] }, overlay)).toEqual({
      env: [
        { name: "Z", value: "0" },
        { name: "A", value: "1" },
        { name: "B", value: "3" },
        { name: "C", value: "4" },
      ],
    });
  });

  it("removes named items and keeps the target's order", () => {
    const overlay = roundTrip(
      { c: [{ name: "a" }, { name: "b" }, { name: "c" }] },
      { c: [{ name: "c" }, { name: "new" }, { name: "a" }] },
    );
    expect(overlay).toEqual({ c: { $byName: { new: { name: "new" }, b: null }, $order: ["c", "new", "a"] } });
  });

  it("writes null values and $-keys literally", () => {
    roundTrip({ a: { b: 1 } }, { a: null });
    roundTrip({}, { a: { b: null, c: 1 } });
    roundTrip({ a: [] }, { a: { $byName: "not an overlay" } });
    roundTrip({ l: [{ name: "x", v: 1 }] }, { l: [{ name: "x", v: null }] });
  });

  it("replaces lists whose names repeat (two mounts of one volume)", () => {
    const overlay = roundTrip(
      { m: [{ name: "v", mountPath: "/a" }] },
      { m: [{ name: "v", mountPath: "/a" }, { name: "v", mountPath: "/b" }] },
    );
    expect(Array.isArray(overlay?.m)).toBe(true);
  });

  it("does not change its arguments", () => {
    const base = { a: { b: [{ name: "x", v: 1 }] } };
    const overlay = { a: { b: { $byName: { x: { v: 2 } } } } };
    const before = JSON.stringify([base, overlay]);
    applyOverlay(base, overlay);
    expect(JSON.stringify([base, overlay])).toBe(before);
  });
});

describe("describeOverlay", () => {
  it("says each change once, by path with names", () => {
    const base = { spec: { volumes: [{ name: "work", emptyDir: {} }], containers: [{ name: "runner", image: "a" }] } };
    const target = {
      spec: {
        volumes: [{ name: "work", emptyDir: {} }, { name: "cache", hostPath: { path: "/mnt", type: "Directory" } }],
        containers: [{ name: "runner", image: "b" }],
        securityContext: { supplementalGroups: [44] },
      },
    };
    const entries = describeOverlay(base, diffOverlay(base, target));
    expect(entries).toEqual([
      { path: "spec.volumes[cache]", what: 'extra hostPath volume "cache" of the node\'s /mnt (Directory)' },
      { path: "spec.containers[runner].image", what: '"b" instead of "a"' },
      { path: "spec.securityContext", what: 'added a security context: {"supplementalGroups":[44]}' },
    ]);
  });
});

describe("an overlay stored in PostgreSQL (jsonb reorders object keys)", () => {
  function reverseKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reverseKeys);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  }

  it("gives the same list order whatever the order of its keys", () => {
    const base = { v: [{ name: "work" }, { name: "sock" }] };
    const target = { v: [{ name: "work" }, { name: "sock" }, { name: "k8s-mount" }, { name: "k8s-cache" }] };
    const overlay = diffOverlay(base, target)!;
    expect(applyOverlay(base, reverseKeys(overlay) as typeof overlay)).toStrictEqual(target);
    // Added items in their natural place are not reported as a reordering.
    expect(describeOverlay(base, overlay).map((e) => e.what)).not.toContain(expect.stringMatching(/order/));
  });
});
