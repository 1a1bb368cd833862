"use client";

import { useQuery } from "@tanstack/react-query";
import { callApi } from "@/components/request-page/api";
import type { ProbeResult } from "@/lib/clusters/cluster-probe";

/** Asks the cluster's API server for its version after the page is drawn, so a dead cluster never slows the list. */
export function ClusterReachability({ clusterId }: { clusterId: string }) {
  const { data, isPending, isError } = useQuery({
    queryKey: ["cluster-probe", clusterId],
    queryFn: () => callApi<ProbeResult>(`/api/admin/clusters/${clusterId}/probe`),
    staleTime: 30_000,
    retry: false,
  });
  if (isPending) return <span className="text-slate-400" data-testid="reachability">checking…</span>;
  if (isError || !data) return <span className="text-slate-500" data-testid="reachability">unknown</span>;
  if (data.reachable)
    return (
      <span className="text-green-700" data-testid="reachability">
        reachable · {data.version}
      </span>
    );
  return (
    <span className="text-amber-700" data-testid="reachability" title={data.problem}>
      unreachable
    </span>
  );
}
