import type { ReactNode } from "react";
import { ChangesTable } from "./request-page/ChangesTable";
import { RelativeTime } from "./RelativeTime";
import { statusText } from "./StatusBadge";

export interface TimelineEvent {
  id: string;
  type: string;
  createdAt: string;
  actor: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  message: string | null;
  changes?: Record<string, { before: unknown; after: unknown }> | null;
}

const TITLES: Record<string, string> = {
  draft_saved: "Saved as a draft",
  submitted: "Submitted for review",
  submit: "Submitted for review",
  edited: "Draft edited",
  request_changes: "Changes requested",
  resubmit: "Resubmitted",
  reject: "Rejected",
  approve: "Approved",
  start_provisioning: "Provisioning started",
  provisioned: "Provisioned",
  provisioning_failed: "Provisioning failed",
  retry: "Provisioning retried",
  reapply: "Re-applied",
  request_change: "Change requested",
  request_decommission: "Decommission requested",
  withdraw: "Change withdrawn",
  provision_step: "Provisioning step",
  provision_retry: "Provisioning will be retried",
  key_deleted: "Private key handed to the cluster and deleted here",
  decommission_step: "Decommission step",
  github_recheck: "Checked with GitHub again",
};

/** `aside`: what a person can do about an entry, shown under it (e.g. check with GitHub again). */
export function Timeline<E extends TimelineEvent>({ events, aside }: { events: E[]; aside?: (e: E) => ReactNode }) {
  return (
    <ol aria-label="Timeline" className="relative space-y-4 border-l border-slate-200 pl-5">
      {events.map((e) => (
        <li key={e.id} data-testid="timeline-event" className="relative">
          <span className="absolute -left-[1.6rem] top-1.5 h-2.5 w-2.5 rounded-full bg-brand-600" aria-hidden />
          <p className="text-sm">
            <span className="font-medium">{TITLES[e.type] ?? e.type.replace(/_/g, " ")}</span>
            {e.toStatus && e.fromStatus ? (
              <span className="text-slate-500">
                {" "}
                ({statusText(e.fromStatus)} → {statusText(e.toStatus)})
              </span>
            ) : null}
          </p>
          <p className="text-xs text-slate-500">
            {e.actor ? `@${e.actor} · ` : ""}
            <RelativeTime iso={e.createdAt} />
          </p>
          {e.message ? <p className="mt-1 whitespace-pre-wrap text-sm text-slate-700">{e.message}</p> : null}
          {e.changes && Object.keys(e.changes).length ? (
            <div className="mt-1 max-w-xl">
              <ChangesTable changes={e.changes} caption="What changed" />
            </div>
          ) : null}
          {aside?.(e)}
        </li>
      ))}
    </ol>
  );
}
