import { describe, expect, it } from "vitest";
import { consume } from "@/lib/rate-limit";
import { makeActor } from "./fixtures";

describe("per-user rate limits", () => {
  it("allows the maximum, refuses the next with 429 and a wait, and counts each person separately", async () => {
    const limit = { name: `t-${Date.now()}`, max: 3, windowSeconds: 600, what: "try this" };
    const a = await makeActor();
    const b = await makeActor();
    await Promise.all([consume(limit, a.id), consume(limit, a.id), consume(limit, a.id)]);
    await expect(consume(limit, a.id)).rejects.toMatchObject({ status: 429, message: expect.stringMatching(/at most 3 times in 10 minutes\. Try again in \d+ min/) });
    await expect(consume(limit, b.id)).resolves.toBeUndefined();
  });

  it("is exact under concurrency: 10 parallel calls with a limit of 4 let exactly 4 through", async () => {
    const limit = { name: `c-${Date.now()}`, max: 4, windowSeconds: 600, what: "try this" };
    const a = await makeActor();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => consume(limit, a.id)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(4);
  });
});
