import { describe, expect, it } from "vitest";
import { suggestSizing } from "./sizing";

describe("suggestSizing", () => {
  it.each([
    // minutes per job, jobs per hour, ceiling → busy, min, max, capped
    [30, 2, 20, 1, 0, 3, false],
    [60, 6, 20, 6, 1, 12, false],
    [20, 60, 20, 20, 5, 20, true],
    [10, 0, 20, 0, 0, 1, false],
    [45, 8, 4, 6, 1, 4, true],
  ])("%i-minute jobs, %i an hour, ceiling %i", (minutes, perHour, ceiling, busy, min, max, capped) => {
    expect(suggestSizing(minutes, perHour, ceiling)).toEqual({
      busyRunners: busy,
      minRunners: min,
      maxRunners: max,
      cappedByCeiling: capped,
    });
  });

  it("keeps min ≤ max and both within the ceiling", () => {
    for (const minutes of [1, 5, 30, 120, 600]) {
      for (const perHour of [0, 1, 3, 10, 50, 500]) {
        for (const ceiling of [1, 3, 20]) {
          const s = suggestSizing(minutes, perHour, ceiling);
          expect(s).toBeDefined();
          expect(s!.minRunners).toBeLessThanOrEqual(s!.maxRunners);
          expect(s!.maxRunners).toBeLessThanOrEqual(ceiling);
          expect(s!.maxRunners).toBeGreaterThanOrEqual(1);
        }
      }
    }
  });

  it("suggests nothing for inputs that are not durations and rates", () => {
    expect(suggestSizing(0, 5, 20)).toBeUndefined();
    expect(suggestSizing(10, -1, 20)).toBeUndefined();
    expect(suggestSizing(Number.NaN, 5, 20)).toBeUndefined();
    expect(suggestSizing(10, Number.POSITIVE_INFINITY, 20)).toBeUndefined();
  });
});
