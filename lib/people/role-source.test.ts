import { describe, expect, it } from "vitest";
import { roleSource } from "./role-source";

const lists = { admins: ["ada"], reviewers: ["rev"], reviewerTeam: "ossci/arc-reviewers" };

describe("roleSource", () => {
  it("names the list or team that granted the role, case-insensitively", () => {
    expect(roleSource("Ada", "ADMIN", lists)).toBe("ADMIN_LOGINS");
    expect(roleSource("rev", "REVIEWER", lists)).toBe("REVIEWER_LOGINS");
    expect(roleSource("tina", "REVIEWER", lists)).toBe("REVIEWER_TEAM ossci/arc-reviewers at their last sign-in");
    expect(roleSource("bob", "REQUESTER", lists)).toBe("default (requester)");
  });

  it("follows today's lists at once, whatever role was stored at the last sign-in", () => {
    expect(roleSource("ada", "REQUESTER", lists)).toBe("ADMIN_LOGINS");
    expect(roleSource("bob", "ADMIN", lists)).toBe("REVIEWER_TEAM ossci/arc-reviewers at their last sign-in");
    expect(roleSource("tina", "REVIEWER", { admins: [], reviewers: [] })).toBe("no longer in ADMIN_LOGINS or REVIEWER_LOGINS: requester now");
  });
});
