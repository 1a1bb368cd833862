import type { RequestStatus } from "@/lib/generated/prisma/enums";

export interface RequestNotice {
  kind: "submitted" | "decision" | "provisioning";
  requestId: string;
  number: number;
  label: string;
  team: string;
  status: RequestStatus;
  actor: string | null;
  reason: string | null;
  url: string;
}

const WORDS: Record<string, string> = {
  SUBMITTED: "was submitted for review",
  CHANGES_REQUESTED: "needs changes",
  REJECTED: "was rejected",
  APPROVED: "was approved",
  READY: "is ready: runners can pick up jobs",
  FAILED: "failed to provision",
  DECOMMISSIONED: "was decommissioned",
};

/**
 * Text as Slack shows it rather than reads it: "<!channel>" would ping the channel and
 * "<https://x|portal>" would show one link as another. Slack's own escaping: &, < and >.
 */
export function slackEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Slack-compatible incoming-webhook JSON: `text` for any client, plus a mrkdwn section. */
export function webhookMessage(n: RequestNotice) {
  const who = n.actor ? ` by @${slackEscape(n.actor)}` : "";
  const text = `Runner request #${n.number} \`${slackEscape(n.label)}\` (team ${slackEscape(n.team)}) ${WORDS[n.status] ?? `is now ${slackEscape(n.status.toLowerCase())}`}${who}.`;
  const detail = n.reason ? `\n> ${slackEscape(n.reason).replace(/\n/g, "\n> ")}` : "";
  return {
    text: `${text}${detail}`,
    blocks: [{ type: "section", text: { type: "mrkdwn", text: `${text}${detail}\n<${n.url}|Open request #${n.number}>` } }],
    metadata: { event_type: `arc_runner_request_${n.kind}`, event_payload: { requestId: n.requestId, status: n.status } },
  };
}

/** Which status changes are worth telling the channel about. */
export function noticeKind(to: RequestStatus): RequestNotice["kind"] | null {
  if (to === "SUBMITTED") return "submitted";
  if (to === "APPROVED" || to === "REJECTED" || to === "CHANGES_REQUESTED") return "decision";
  if (to === "READY" || to === "FAILED" || to === "DECOMMISSIONED") return "provisioning";
  return null;
}
