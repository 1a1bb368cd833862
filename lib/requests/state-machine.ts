import type { RequestStatus, ReviewKind } from "@/lib/generated/prisma/enums";

// The request lifecycle, in one table. Every status change in the portal goes
// through `transitionFor`; anything not listed here is refused.
//
//   DRAFT → SUBMITTED ⇄ CHANGES_REQUESTED
//   SUBMITTED → REJECTED (final) | APPROVED → PROVISIONING → READY | FAILED
//   FAILED → APPROVED (retry)            READY → APPROVED (re-apply after drift)
//   READY → SUBMITTED (kind CHANGE or DECOMMISSION): reviewed again; a declined
//   change leaves the runners as they were (→ READY); an approved decommission
//   ends in DECOMMISSIONED.

export type Action =
  | "submit"
  | "request_changes"
  | "resubmit"
  | "reject"
  | "approve"
  | "start_provisioning"
  | "provisioned"
  | "provisioning_failed"
  | "retry"
  | "reapply"
  | "request_change"
  | "request_decommission"
  | "withdraw";

/** Who may take an action: the request's own team, a reviewer, or the provisioning worker. */
export type Performer = "team" | "reviewer" | "system";

interface Rule {
  from: RequestStatus[];
  kinds?: ReviewKind[];
  to: RequestStatus | ((kind: ReviewKind) => RequestStatus);
  by: Performer;
  /** The action must carry a reason (shown on the timeline). */
  needsReason?: boolean;
  /** The kind of review the request is in after the action. */
  setsKind?: ReviewKind;
}

const RULES: Record<Action, Rule> = {
  submit: { from: ["DRAFT"], to: "SUBMITTED", by: "team", setsKind: "NEW" },
  request_changes: { from: ["SUBMITTED"], to: "CHANGES_REQUESTED", by: "reviewer", needsReason: true },
  resubmit: { from: ["CHANGES_REQUESTED"], to: "SUBMITTED", by: "team" },
  reject: {
    from: ["SUBMITTED"],
    // Declining a change to live runners leaves them running as approved before.
    to: (kind) => (kind === "NEW" ? "REJECTED" : "READY"),
    by: "reviewer",
    needsReason: true,
  },
  approve: { from: ["SUBMITTED"], to: "APPROVED", by: "reviewer" },
  start_provisioning: { from: ["APPROVED"], to: "PROVISIONING", by: "system" },
  provisioned: { from: ["PROVISIONING"], to: (kind) => (kind === "DECOMMISSION" ? "DECOMMISSIONED" : "READY"), by: "system" },
  provisioning_failed: { from: ["PROVISIONING"], to: "FAILED", by: "system", needsReason: true },
  retry: { from: ["FAILED"], to: "APPROVED", by: "reviewer" },
  reapply: { from: ["READY"], to: "APPROVED", by: "reviewer", setsKind: "CHANGE" },
  request_change: { from: ["READY"], to: "SUBMITTED", by: "team", setsKind: "CHANGE" },
  request_decommission: { from: ["READY"], to: "SUBMITTED", by: "team", setsKind: "DECOMMISSION", needsReason: true },
  withdraw: { from: ["CHANGES_REQUESTED"], kinds: ["CHANGE", "DECOMMISSION"], to: "READY", by: "team" },
};

export const ACTIONS = Object.keys(RULES) as Action[];

export class TransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransitionError";
  }
}

const words = (s: string) => s.toLowerCase().replace(/_/g, " ");

export interface Transition {
  action: Action;
  from: RequestStatus;
  to: RequestStatus;
  kind: ReviewKind;
  by: Performer;
  needsReason: boolean;
}

/** The transition an action makes from a status, or a TransitionError that says why not. */
export function transitionFor(action: Action, current: { status: RequestStatus; reviewKind: ReviewKind }): Transition {
  const rule = RULES[action];
  if (!rule) throw new TransitionError(`Unknown action "${action}".`);
  if (!rule.from.includes(current.status) || (rule.kinds && !rule.kinds.includes(current.reviewKind))) {
    throw new TransitionError(
      `A request that is ${words(current.status)} cannot be ${pastTense(action)}; only a ${rule.from.map(words).join(" or ")} request can.`,
    );
  }
  const kind = rule.setsKind ?? current.reviewKind;
  return {
    action,
    from: current.status,
    to: typeof rule.to === "function" ? rule.to(kind) : rule.to,
    kind,
    by: rule.by,
    needsReason: !!rule.needsReason,
  };
}

/** The actions a performer could take now: drives which buttons a page shows. */
export function availableActions(current: { status: RequestStatus; reviewKind: ReviewKind }, by: Performer): Action[] {
  return ACTIONS.filter((a) => {
    try {
      return transitionFor(a, current).by === by;
    } catch {
      return false;
    }
  });
}

function pastTense(action: Action): string {
  const map: Record<Action, string> = {
    submit: "submitted",
    request_changes: "sent back for changes",
    resubmit: "resubmitted",
    reject: "rejected",
    approve: "approved",
    start_provisioning: "provisioned",
    provisioned: "marked provisioned",
    provisioning_failed: "marked failed",
    retry: "retried",
    reapply: "re-applied",
    request_change: "changed",
    request_decommission: "decommissioned",
    withdraw: "withdrawn",
  };
  return map[action];
}
