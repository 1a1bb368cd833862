"use client";

import { useQuery } from "@tanstack/react-query";
import type { GitHubRunnersReport } from "@/lib/requests/github-runners";
import { callApi } from "./request-page/api";

/** What GitHub says about the scale set's runners: name, online or offline, busy or idle. */
export function GitHubRunners({ requestId }: { requestId: string }) {
  const { data, refetch, isFetching } = useQuery({
    queryKey: ["github-runners", requestId],
    queryFn: () => callApi<GitHubRunnersReport>(`/api/requests/${requestId}/github-runners`),
    refetchInterval: 30_000,
  });
  if (!data || data.status === "not-ready") return null;
  return (
    <section aria-label="Runners on GitHub" data-testid="github-runners" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <div className="flex items-center justify-between">
        <h2 className="font-medium">Runners on GitHub</h2>
        <button type="button" onClick={() => void refetch()} disabled={isFetching} className="text-xs text-slate-500 underline disabled:opacity-50">
          {isFetching ? "asking…" : "refresh"}
        </button>
      </div>
      {data.status === "ok" ? (
        data.runners.length === 0 ? (
          <p className="mt-2 text-slate-500">GitHub lists no runner with this label yet; runners register when the controller starts them.</p>
        ) : (
          <ul className="mt-2 space-y-1">
            {data.runners.map((r) => (
              <li key={r.id} className="flex gap-3 font-mono text-xs">
                <span>{r.name}</span>
                <span className={r.status === "online" ? "text-emerald-700" : "text-slate-500"}>{r.status}</span>
                <span className={r.busy ? "text-amber-700" : "text-slate-500"}>{r.busy ? "busy" : "idle"}</span>
              </li>
            ))}
          </ul>
        )
      ) : (
        <p role="status" className="mt-2 text-amber-800">
          {data.message}
        </p>
      )}
    </section>
  );
}
