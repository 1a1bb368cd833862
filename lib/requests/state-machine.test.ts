import { describe, expect, it } from "vitest";
import type { RequestStatus, ReviewKind } from "@/lib/generated/prisma/enums";
import { ACTIONS, availableActions, transitionFor, TransitionError, type Action } from "./state-machine";

const STATUSES: RequestStatus[] = ["DRAFT", "SUBMITTED", "CHANGES_REQUESTED", "REJECTED", "APPROVED", "PROVISIONING", "READY", "FAILED", "DECOMMISSIONED"];
const KINDS: ReviewKind[] = ["NEW", "CHANGE", "DECOMMISSION"];

// Every legal move, written out independently of the module's table.
const LEGAL: [Action, RequestStatus, ReviewKind, RequestStatus][] = [];
for (const k of KINDS) {
  LEGAL.push(
    ["request_changes", "SUBMITTED", k, "CHANGES_REQUESTED"],
    ["resubmit", "CHANGES_REQUESTED", k, "SUBMITTED"],
    ["reject", "SUBMITTED", k, k === "NEW" ? "REJECTED" : "READY"],
    ["approve", "SUBMITTED", k, "APPROVED"],
    ["start_provisioning", "APPROVED", k, "PROVISIONING"],
    ["provisioned", "PROVISIONING", k, k === "DECOMMISSION" ? "DECOMMISSIONED" : "READY"],
    ["provisioning_failed", "PROVISIONING", k, "FAILED"],
    ["retry", "FAILED", k, "APPROVED"],
    ["reapply", "READY", k, "APPROVED"],
    ["request_change", "READY", k, "SUBMITTED"],
    ["request_decommission", "READY", k, "SUBMITTED"],
    ["submit", "DRAFT", k, "SUBMITTED"],
  );
  if (k !== "NEW") LEGAL.push(["withdraw", "CHANGES_REQUESTED", k, "READY"]);
}

describe("request state machine", () => {
  it.each(LEGAL)("%s from %s (%s) → %s", (action, from, kind, to) => {
    expect(transitionFor(action, { status: from, reviewKind: kind }).to).toBe(to);
  });

  it("refuses every other (action, status, kind) combination with a message", () => {
    let refused = 0;
    for (const action of ACTIONS)
      for (const status of STATUSES)
        for (const kind of KINDS) {
          if (LEGAL.some(([a, s, k]) => a === action && s === status && k === kind)) continue;
          expect(() => transitionFor(action, { status, reviewKind: kind })).toThrow(TransitionError);
          refused++;
        }
    expect(refused).toBe(ACTIONS.length * STATUSES.length * KINDS.length - LEGAL.length);
  });

  it("REJECTED and DECOMMISSIONED are final", () => {
    for (const status of ["REJECTED", "DECOMMISSIONED"] as const)
      for (const kind of KINDS) expect(availableActions({ status, reviewKind: kind }, "reviewer").concat(availableActions({ status, reviewKind: kind }, "team"))).toEqual([]);
  });

  it("says why a transition is refused", () => {
    expect(() => transitionFor("approve", { status: "REJECTED", reviewKind: "NEW" })).toThrow(
      "A request that is rejected cannot be approved; only a submitted request can.",
    );
  });

  it("rejection, changes and decommission need a reason; change requests and decommission set the review kind", () => {
    expect(transitionFor("reject", { status: "SUBMITTED", reviewKind: "NEW" }).needsReason).toBe(true);
    expect(transitionFor("request_changes", { status: "SUBMITTED", reviewKind: "NEW" }).needsReason).toBe(true);
    expect(transitionFor("approve", { status: "SUBMITTED", reviewKind: "NEW" }).needsReason).toBe(false);
    expect(transitionFor("request_change", { status: "READY", reviewKind: "NEW" }).kind).toBe("CHANGE");
    expect(transitionFor("request_decommission", { status: "READY", reviewKind: "NEW" }).kind).toBe("DECOMMISSION");
  });

  it("lists the buttons each side gets", () => {
    expect(availableActions({ status: "SUBMITTED", reviewKind: "NEW" }, "reviewer").sort()).toEqual(["approve", "reject", "request_changes"]);
    expect(availableActions({ status: "READY", reviewKind: "NEW" }, "team").sort()).toEqual(["request_change", "request_decommission"]);
    expect(availableActions({ status: "APPROVED", reviewKind: "NEW" }, "system")).toEqual(["start_provisioning"]);
  });
});
