"use client";

import { useQueries } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { CapacityCheck } from "@/components/CapacityCheck";
import { capacityAmount } from "@/components/capacity-amount";
import type { CapacityLine, CapacityReport } from "@/lib/provision/types";
import { callApi, type ApiError } from "./api";
import { clusterLabel, type ClusterOption } from "./cluster-options";

// The reviewer's choice of cluster for a new request: each registered cluster's capacity check
// side by side (asked in parallel, so an unreachable one holds up no other), a radio to pick
// where it runs, and the full check of the picked cluster below.

export const capacityKey = (requestId: string, clusterId: string) => ["capacity", requestId, clusterId] as const;

/** The browser's own bound on one capacity answer: the server gives each cluster 6 s, plus the portal's own work. */
const CAPACITY_WAIT_MS = 20_000;

const RESOURCE: Record<string, string> = { gpu: "GPUs", cpu: "CPU cores", memory: "Memory" };

/** A bar of the cluster's allocatable: what approved scale sets claim (grey), then this request's worst case. */
function Bar({ line }: { line: CapacityLine }) {
  if (!line.allocatable) return null;
  const pct = (n: number) => Math.max(0, Math.min(100, (n / line.allocatable!) * 100));
  const claimed = pct(line.claimed);
  const worst = Math.min(100 - claimed, pct(line.worstCase));
  return (
    <div className="mt-1 flex h-1.5 w-full overflow-hidden rounded bg-slate-100" aria-hidden>
      <div className="bg-slate-400" style={{ width: `${claimed}%` }} />
      <div className={line.fits === false ? "bg-red-500" : "bg-emerald-500"} style={{ width: `${worst}%` }} />
    </div>
  );
}

function Verdict({ report }: { report: CapacityReport }) {
  if (report.notEligible?.length) {
    return (
      <span className="font-semibold text-red-700">
        not eligible
        <span className="block text-xs font-normal">{report.notEligible.join(" ")}</span>
      </span>
    );
  }
  if (report.cluster.state !== "live") return <span className="text-slate-500">unknown</span>;
  return report.fits ? <span className="font-medium text-emerald-700">fits</span> : <span className="font-semibold text-red-700">does not fit</span>;
}

function quotaText(r: CapacityReport): string {
  if (r.cluster.state !== "live") return "–";
  if (r.namespace.exists === false) return "namespace not created yet";
  if (r.quotas.length === 0) return "no quota";
  const tight = r.quotas.filter((q) => !q.fits);
  return tight.length === 0 ? "fits" : `exceeds ${tight.map((q) => q.key).join(", ")}`;
}

export function CapacityCompare({
  requestId,
  clusters,
  selected,
  onSelect,
  preferredClusterId,
  disabled,
  namespace,
}: {
  requestId: string;
  /** The namespace the check reads quotas in, for the waiting message. */
  namespace: string;
  clusters: ClusterOption[];
  selected: string;
  onSelect: (id: string) => void;
  preferredClusterId: string | null;
  disabled?: boolean;
}) {
  const results = useQueries({
    queries: clusters.map((c) => ({
      queryKey: capacityKey(requestId, c.id),
      queryFn: () =>
        callApi<CapacityReport>(`/api/requests/${requestId}/capacity?cluster=${encodeURIComponent(c.id)}`, { signal: AbortSignal.timeout(CAPACITY_WAIT_MS) }).catch((e: unknown) => {
          // The server gives each cluster a few seconds; a portal that does not answer at all ends here.
          if (e instanceof DOMException && e.name === "TimeoutError") {
            throw { status: 0, error: `No answer within ${CAPACITY_WAIT_MS / 1000} s; the portal or the cluster is busy. Try again.` } satisfies ApiError;
          }
          throw e;
        }),
      staleTime: 30_000,
      retry: false,
    })),
  });
  const pickedIndex = clusters.findIndex((c) => c.id === selected);
  const picked = results[pickedIndex];
  const pickedName = clusters[pickedIndex] ? clusterLabel(clusters[pickedIndex]) : undefined;

  if (clusters.length === 1) {
    return picked?.data ? (
      <CapacityCheck report={picked.data} clusterName={pickedName} />
    ) : (
      <CapacityPending error={picked?.error as ApiError | null} clusterName={pickedName} namespace={namespace} retry={() => void picked?.refetch()} />
    );
  }

  const rowHead = "py-1.5 pr-3 text-left text-xs font-normal text-slate-500";
  return (
    <div className="space-y-4">
      <section aria-label="Clusters side by side" data-testid="capacity-compare" className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <fieldset>
          <legend className="font-medium">Cluster to approve onto</legend>
          <p className="mt-1 text-xs text-slate-500">
            Each cluster&apos;s capacity for this request with every runner busy. The grey part of a bar is what approved scale sets already
            claim, the coloured part this request.
          </p>
          <table className="mt-3 w-full table-fixed text-left">
            <thead>
              <tr>
                <th className="w-32" />
                {clusters.map((c) => (
                  <th key={c.id} scope="col" className="px-2 pb-2 align-bottom font-normal">
                    <label className="flex items-start gap-2">
                      <input type="radio" name="approve-cluster" value={c.id} checked={selected === c.id} disabled={disabled} onChange={() => onSelect(c.id)} className="mt-1" />
                      <span>
                        <span className="block font-medium">{clusterLabel(c)}</span>
                        {c.id === preferredClusterId ? <span className="block text-xs text-violet-700">requester&apos;s preference</span> : null}
                      </span>
                    </label>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              <tr>
                <th scope="row" className={rowHead}>
                  API server
                </th>
                {results.map((q, i) => (
                  <td key={clusters[i]!.id} data-testid={`cluster-state-${clusters[i]!.name}`} className="px-2">
                    {q.isPending ? (
                      <span className="text-slate-400">checking…</span>
                    ) : q.data ? (
                      q.data.cluster.state === "live" ? (
                        <span className="text-emerald-700">reachable · {q.data.cluster.nodes} nodes</span>
                      ) : (
                        <span className="font-medium text-amber-800" title={q.data.cluster.message ?? undefined}>
                          {q.data.cluster.state === "off" ? "no connection" : "unreachable"}
                        </span>
                      )
                    ) : (
                      <span className="text-red-700">{(q.error as unknown as ApiError | null)?.error ?? "no answer"}</span>
                    )}
                  </td>
                ))}
              </tr>
              {(["gpu", "memory", "cpu"] as const).map((resource) => (
                <tr key={resource}>
                  <th scope="row" className={rowHead}>
                    {RESOURCE[resource]}
                    <span className="block">worst case / free</span>
                  </th>
                  {results.map((q, i) => {
                    const line = q.data?.resources.find((l) => l.resource === resource);
                    return (
                      <td key={clusters[i]!.id} data-testid={`cluster-${resource}-${clusters[i]!.name}`} className={`px-2 tabular-nums ${line?.fits === false ? "text-red-700" : ""}`}>
                        {line ? (
                          <>
                            {capacityAmount(resource, line.worstCase)} / {capacityAmount(resource, line.free)}
                            <span className="text-xs text-slate-500"> of {capacityAmount(resource, line.allocatable)}</span>
                            <Bar line={line} />
                          </>
                        ) : (
                          "–"
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
              <tr>
                <th scope="row" className={rowHead}>
                  Approved scale sets
                </th>
                {results.map((q, i) => (
                  <td key={clusters[i]!.id} className="px-2 tabular-nums">
                    {q.data ? q.data.claims.length : "–"}
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row" className={rowHead}>
                  Namespace quota
                </th>
                {results.map((q, i) => (
                  <td key={clusters[i]!.id} className="px-2">
                    {q.data ? quotaText(q.data) : "–"}
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row" className={rowHead}>
                  Verdict
                </th>
                {results.map((q, i) => (
                  <td key={clusters[i]!.id} data-testid={`cluster-verdict-${clusters[i]!.name}`} className="px-2">
                    {q.data ? <Verdict report={q.data} /> : "–"}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </fieldset>
      </section>
      {picked?.data ? (
        <CapacityCheck report={picked.data} clusterName={pickedName} />
      ) : (
        <CapacityPending error={picked?.error as ApiError | null} clusterName={pickedName} namespace={namespace} retry={() => void picked?.refetch()} />
      )}
    </div>
  );
}

/** What the check waits for, with the seconds so far; the error with a way to ask again. */
function CapacityPending({ error, clusterName, namespace, retry }: { error: ApiError | null | undefined; clusterName?: string; namespace: string; retry: () => void }) {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (error) return;
    const started = Date.now();
    const t = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(t);
  }, [error]);
  return (
    <section aria-label="Capacity" className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-600">
      <h2 className="font-medium text-slate-900">Capacity{clusterName ? ` on ${clusterName}` : ""}</h2>
      {error ? (
        <p role="alert" className="mt-2 text-amber-800">
          The capacity check failed: {error.error}{" "}
          <button type="button" onClick={retry} className="underline">
            Ask again
          </button>
        </p>
      ) : (
        <p role="status" className="mt-2">
          Asking the cluster&apos;s API server for its nodes&apos; allocatable resources and for namespace <span className="font-mono">{namespace}</span> and its
          ResourceQuotas… {seconds} s (a cluster that does not answer within a few seconds is reported unreachable).
        </p>
      )}
    </section>
  );
}
