import { describe, expect, it } from "vitest";
import { hasRole, roleFromLists } from "./roles";

describe("roles", () => {
  const lists = { admins: ["carol"], reviewers: ["bob", "carol"] };
  it("derives the role from the configured login lists, case-insensitively", () => {
    expect(roleFromLists("Carol", lists)).toBe("ADMIN");
    expect(roleFromLists("BOB", lists)).toBe("REVIEWER");
    expect(roleFromLists("alice", lists)).toBe("REQUESTER");
  });
  it("ranks admin above reviewer above requester", () => {
    expect(hasRole("ADMIN", "REVIEWER")).toBe(true);
    expect(hasRole("REVIEWER", "ADMIN")).toBe(false);
    expect(hasRole("REQUESTER", "REVIEWER")).toBe(false);
    expect(hasRole("REQUESTER", "REQUESTER")).toBe(true);
  });
});
