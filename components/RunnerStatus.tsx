"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { DriftDifference, RunnerStatusReport } from "@/lib/provision/types";
import { callApi, requestKey } from "./request-page/api";

// Live runner counts of a request's scale set, polled from /api/requests/[id]/status (the
// ARC controller writes them into the AutoscalingRunnerSet's status), and a warning when
// the scale set is missing or differs from what was approved.

const POLL_MS = 5_000;

const statusKey = (id: string) => ["runner-status", id] as const;

function show(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === undefined ? "unset" : text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function Count({ label, value, testId, tone }: { label: string; value: number; testId: string; tone: string }) {
  return (
    <div className="flex flex-col">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={`text-2xl font-semibold tabular-nums ${tone}`} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/** One bar, as wide as maxRunners: running, pending and failed runners, then the rest of the current ones. */
function RunnerBar({ current, pending, running, failed, max }: { current: number; pending: number; running: number; failed: number; max: number }) {
  const scale = Math.max(max, current, 1);
  const idle = Math.max(0, current - pending - running - failed);
  const part = (n: number, className: string, title: string) =>
    n > 0 ? <div className={className} style={{ width: `${(n / scale) * 100}%` }} title={`${n} ${title}`} /> : null;
  return (
    <div className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100" role="img" aria-label={`${current} of at most ${max} runners`}>
      {part(running, "bg-emerald-500", "running")}
      {part(pending, "bg-amber-400", "pending")}
      {part(failed, "bg-red-500", "failed")}
      {part(idle, "bg-sky-300", "idle or starting")}
    </div>
  );
}

function DriftWarning({ report }: { report: RunnerStatusReport }) {
  const drift = report.drift;
  if (!drift || (!drift.missing && drift.differences.length === 0)) return null;
  return (
    <div role="alert" data-testid="drift-warning" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
      <p className="font-medium">
        {drift.missing ? "The scale set is missing from the cluster." : "The scale set differs from what was approved."}
      </p>
      {drift.differences.length > 0 ? (
        <ul className="mt-1 list-disc pl-5">
          {drift.differences.map((d: DriftDifference) => (
            <li key={d.path}>
              <span className="font-mono">{d.path}</span>: approved {show(d.approved)}, live {show(d.live)}
            </li>
          ))}
        </ul>
      ) : null}
      {drift.editedBy.length > 0 ? <p className="mt-1">Edited by: {drift.editedBy.join(", ")}.</p> : null}
      <p className="mt-1">A reviewer can re-apply the approved spec.</p>
    </div>
  );
}

export function RunnerStatus({ requestId }: { requestId: string }) {
  const queryClient = useQueryClient();
  const { data, error } = useQuery({
    queryKey: statusKey(requestId),
    queryFn: () => callApi<RunnerStatusReport>(`/api/requests/${requestId}/status`),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });

  // When provisioning moves the request on (e.g. to READY), refresh the rest of the page too.
  const seen = useRef(data?.requestStatus);
  useEffect(() => {
    if (data && seen.current && data.requestStatus !== seen.current) void queryClient.invalidateQueries({ queryKey: requestKey(requestId) });
    seen.current = data?.requestStatus;
  }, [data, queryClient, requestId]);

  const r = data?.runners;
  return (
    <section aria-label="Runners" data-testid="runner-status" data-state={data?.state ?? "loading"} className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-baseline justify-between gap-3">
        <h2 className="font-medium">Runners</h2>
        {r?.phase ? (
          <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700" data-testid="runner-phase">
            {r.phase}
          </span>
        ) : null}
      </div>
      {!data ? (
        <p className="mt-2 text-sm text-slate-500">{error ? (error as { error?: string }).error ?? "Live status is unavailable." : "Checking the cluster…"}</p>
      ) : (
        <>
          {r ? (
            <div className="mt-3 space-y-3">
              <RunnerBar current={r.current} pending={r.pending} running={r.running} failed={r.failed} max={r.maxRunners} />
              <dl className="grid grid-cols-4 gap-2">
                <Count label={`Current (max ${r.maxRunners})`} value={r.current} testId="runners-current" tone="text-slate-900" />
                <Count label="Pending" value={r.pending} testId="runners-pending" tone="text-amber-700" />
                <Count label="Running" value={r.running} testId="runners-running" tone="text-emerald-700" />
                <Count label="Failed" value={r.failed} testId="runners-failed" tone={r.failed > 0 ? "text-red-700" : "text-slate-900"} />
              </dl>
            </div>
          ) : null}
          {data.drift?.missing ? null : (
            <p className={`mt-2 text-sm ${data.state === "unreachable" || data.state === "missing" ? "text-amber-800" : "text-slate-500"}`} data-testid="runner-status-message">
              {data.message}
            </p>
          )}
          <DriftWarning report={data} />
        </>
      )}
    </section>
  );
}
