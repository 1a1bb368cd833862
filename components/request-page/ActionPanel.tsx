"use client";

import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { inputClass } from "@/components/request-form/Field";
import { importedDecommissionWarning } from "@/lib/requests/helm-release";
import { callApi, requestKey, type ApiError, type RequestView } from "./api";
import { capacitySummary } from "@/lib/provision/capacity-summary";
import type { CapacityReport } from "@/lib/provision/types";
import { capacityKey, CapacityCompare } from "./CapacityCompare";
import { clusterLabel, type ClusterOption } from "./cluster-options";

type ActionName = RequestView["actions"][number];

const LABELS: Partial<Record<ActionName, string>> = {
  approve: "Approve",
  reject: "Reject",
  request_changes: "Ask for changes",
  retry: "Retry provisioning",
  reapply: "Re-apply",
  request_decommission: "Ask to decommission",
  withdraw: "Withdraw the change",
};
const NEEDS_REASON: ActionName[] = ["reject", "request_changes", "request_decommission"];

/** The decisions this person may take now; the page updates in place afterwards. */
export function ActionPanel({ view, clusters = [] }: { view: RequestView; clusters?: ClusterOption[] }) {
  const qc = useQueryClient();
  // The reviewer decides the cluster of a new request: the requester's preference is the default.
  const candidates = clusters.some((c) => c.id === view.cluster.id) ? clusters : [view.cluster, ...clusters];
  const [clusterId, setClusterId] = useState(
    view.preferredClusterId && candidates.some((c) => c.id === view.preferredClusterId) ? view.preferredClusterId : view.cluster.id,
  );
  const choosing = view.status === "SUBMITTED" && view.reviewKind === "NEW";
  const [reason, setReason] = useState("");
  const [namespace, setNamespace] = useState(view.namespace);
  const [maxRunners, setMaxRunners] = useState(String((view.spec as { maxRunners: number }).maxRunners));
  const [notice, setNotice] = useState<string | null>(null);
  // Approving what the capacity check says does not fit takes a second, explicit step with a reason.
  const [anyway, setAnyway] = useState<{ message: string } | null>(null);
  const [overrideReason, setOverrideReason] = useState("");
  const adjustmentsFor = () => {
    const adjustments: Record<string, unknown> = {};
    if (namespace !== view.namespace) adjustments.namespace = namespace;
    const max = Number(maxRunners);
    if (max !== (view.spec as { maxRunners: number }).maxRunners) adjustments.maxRunners = Number.isFinite(max) ? max : maxRunners;
    return adjustments;
  };
  const mutation = useMutation({
    mutationFn: (action: ActionName) => {
      const adjustments = action === "approve" ? adjustmentsFor() : {};
      return callApi<{ request: RequestView; notice: string | null }>(`/api/requests/${view.id}/actions`, {
        method: "POST",
        json: {
          action,
          version: view.version,
          ...(NEEDS_REASON.includes(action) ? { reason } : {}),
          ...(Object.keys(adjustments).length ? { adjustments } : {}),
          ...(action === "approve" && choosing ? { clusterId } : {}),
          ...(action === "approve" && anyway ? { overrideReason } : {}),
        },
      });
    },
    onSuccess: ({ request, notice }) => {
      setReason("");
      setAnyway(null);
      setOverrideReason("");
      setNotice(notice);
      qc.setQueryData(requestKey(view.id), request);
      // Decided: the review queue's badge counts one fewer now, not at its next poll.
      void qc.invalidateQueries({ queryKey: ["badges"] });
    },
    onError: (e: ApiError) => {
      // The server's own capacity check says it does not fit (the page's may be older, or adjusted).
      if (e.fieldErrors?.overrideReason && !anyway) return setAnyway({ message: e.error });
      // Someone else decided first: show what happened instead of an error page.
      if (e.status === 409 || e.status === 404) void qc.invalidateQueries({ queryKey: requestKey(view.id) });
      setNotice(e.error);
    },
  });
  const approveCluster = choosing ? clusterId : view.cluster.id;
  // The capacity answer the page shows for the chosen cluster (CapacityCompare fetches it).
  const { data: capacity } = useQuery<CapacityReport>({ queryKey: capacityKey(view.id, approveCluster), queryFn: skipToken });
  const approve = () => {
    const summary = capacity ? capacitySummary(capacity, clusterLabel(candidates.find((c) => c.id === approveCluster) ?? view.cluster)) : null;
    if (summary && Object.keys(adjustmentsFor()).length === 0) setAnyway({ message: summary });
    else mutation.mutate("approve");
  };
  const reviewer = view.actions.filter((a) => ["approve", "reject", "request_changes", "retry", "reapply"].includes(a));
  const team = view.actions.filter((a) => ["request_decommission", "withdraw"].includes(a));
  if (reviewer.length === 0 && team.length === 0 && !view.canEdit && !view.ownRequest && !view.approvalRefusal) return null;
  const fieldError = (k: string) => (mutation.error as ApiError | null)?.fieldErrors?.[k]?.[0];
  // Reviewers deciding a new or changed scale set see whether it fits; a removal needs no room.
  const deciding = reviewer.length > 0 && view.status === "SUBMITTED" && view.reviewKind !== "DECOMMISSION";
  // The buttons that remove the scale set: the team's request, and the reviewer's approval of it.
  const removes = (a: ActionName) => a === "request_decommission" || (a === "approve" && view.reviewKind === "DECOMMISSION");
  const helmWarning = [...reviewer, ...team].some(removes) ? importedDecommissionWarning(view) : null;

  return (
    <section aria-label="Actions" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="font-medium">What happens next</h2>
      {notice ? (
        <p role="alert" className="mt-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {notice}
        </p>
      ) : null}
      {view.ownRequest && view.status === "SUBMITTED" ? (
        <p className="mt-2 text-sm text-slate-600">Waiting for an OSSCI reviewer. You cannot approve your own request.</p>
      ) : view.approvalRefusal ? (
        <p data-testid="approval-refusal" className="mt-2 text-sm text-slate-600">
          Waiting for another OSSCI reviewer. {view.approvalRefusal}
        </p>
      ) : null}
      {deciding ? (
        <div className="mt-3">
          {choosing ? null : (
            <p className="mb-2 text-sm text-slate-600">
              Runs on cluster <strong>{clusterLabel(view.cluster)}</strong>: the cluster is fixed once provisioned.
            </p>
          )}
          <CapacityCompare
            requestId={view.id}
            clusters={choosing ? candidates : [view.cluster]}
            selected={choosing ? clusterId : view.cluster.id}
            onSelect={setClusterId}
            preferredClusterId={view.preferredClusterId}
            disabled={mutation.isPending || !reviewer.includes("approve")}
            namespace={view.namespace}
          />
          {fieldError("clusterId") ? <p className="mt-1 text-sm text-red-700">{fieldError("clusterId")}</p> : null}
        </div>
      ) : null}
      {reviewer.includes("approve") && view.reviewKind !== "DECOMMISSION" ? (
        <div className="mt-3 grid gap-3 sm:grid-cols-2">
          <div>
            <label htmlFor="adjust-namespace" className="block text-sm font-medium">
              Namespace (adjust before approving)
            </label>
            <input id="adjust-namespace" className={inputClass} value={namespace} onChange={(e) => setNamespace(e.target.value)} />
            {fieldError("namespace") ? <p className="mt-1 text-sm text-red-700">{fieldError("namespace")}</p> : null}
          </div>
          <div>
            <label htmlFor="adjust-max" className="block text-sm font-medium">
              Maximum runners (adjust before approving)
            </label>
            <input id="adjust-max" inputMode="numeric" className={inputClass} value={maxRunners} onChange={(e) => setMaxRunners(e.target.value)} />
            {fieldError("maxRunners") ? <p className="mt-1 text-sm text-red-700">{fieldError("maxRunners")}</p> : null}
          </div>
        </div>
      ) : null}
      {[...reviewer, ...team].some((a) => NEEDS_REASON.includes(a)) ? (
        <div className="mt-3">
          <label htmlFor="decision-reason" className="block text-sm font-medium">
            {reviewer.some((a) => NEEDS_REASON.includes(a)) ? "Reason or comment for the team" : "Why remove these runners? (needed to ask for decommissioning)"}
          </label>
          {reviewer.some((a) => NEEDS_REASON.includes(a)) ? null : (
            <p className="text-xs text-slate-500">An OSSCI reviewer reads it before approving the removal; to change the runners instead, use &quot;Ask for a change&quot;.</p>
          )}
          <textarea id="decision-reason" rows={3} className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} />
          {fieldError("reason") ? <p className="mt-1 text-sm text-red-700">{fieldError("reason")}</p> : null}
        </div>
      ) : null}
      {reviewer.includes("reapply") && !view.adoptFrom ? (
        <p className="mt-2 text-sm text-slate-600">
          Live on cluster <strong>{clusterLabel(view.cluster)}</strong>; the runners section shows what the cluster and GitHub report. As a reviewer you can
          re-apply the approved spec, after the runners section reports drift or to bring in a change to the cluster&apos;s settings. A change or a
          decommissioning the team asks for comes back to the review queue for a decision.
        </p>
      ) : null}
      {reviewer.includes("reapply") && view.adoptFrom ? (
        <p className="mt-2 text-sm text-slate-600">
          Imported: its objects still belong to {view.adoptFrom}. Taking over applies the approved spec with force to this scale set&apos;s own
          objects only, and from then on the portal manages it; the timeline records every field taken.
        </p>
      ) : null}
      {helmWarning ? (
        <p id="decommission-helm-warning" data-testid="decommission-helm-warning" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {helmWarning}
        </p>
      ) : null}
      <div className="mt-3 flex flex-wrap gap-2">
        {[...reviewer, ...team].map((a) => (
          <button
            key={a}
            type="button"
            aria-describedby={helmWarning && removes(a) ? "decommission-helm-warning" : undefined}
            disabled={mutation.isPending || (a === "approve" && anyway !== null)}
            onClick={() => (a === "approve" ? approve() : mutation.mutate(a))}
            className={
              a === "approve"
                ? "rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-60"
                : a === "reject" || a === "request_decommission"
                  ? "rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 disabled:opacity-60"
                  : "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50 disabled:opacity-60"
            }
          >
            {a === "reapply" && view.adoptFrom ? `Take over from ${view.adoptFrom}` : (LABELS[a] ?? a)}
          </button>
        ))}
        {view.canEdit ? (
          <Link href={`/requests/${view.id}/edit`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50">
            {view.status === "READY" ? "Ask for a change" : view.status === "DRAFT" ? "Edit draft" : "Edit and resubmit"}
          </Link>
        ) : null}
      </div>
      {anyway ? (
        <div role="group" aria-labelledby="approve-anyway-title" className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm">
          <p id="approve-anyway-title" className="font-medium text-red-800">
            {anyway.message} Approve anyway?
          </p>
          <label htmlFor="override-reason" className="mt-2 block font-medium text-slate-900">
            Why approve it anyway? (recorded on the timeline)
          </label>
          <textarea id="override-reason" rows={2} className={inputClass} value={overrideReason} onChange={(e) => setOverrideReason(e.target.value)} />
          {fieldError("overrideReason") && anyway ? <p className="mt-1 text-red-700">{fieldError("overrideReason")}</p> : null}
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              disabled={mutation.isPending || !overrideReason.trim()}
              onClick={() => mutation.mutate("approve")}
              className="rounded-md bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 disabled:opacity-60"
            >
              {mutation.isPending ? "Approving…" : "Approve anyway"}
            </button>
            <button
              type="button"
              disabled={mutation.isPending}
              onClick={() => setAnyway(null)}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-slate-700 hover:bg-slate-50 disabled:opacity-60"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
