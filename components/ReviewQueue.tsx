"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { QueueRow } from "@/lib/requests/review-queue";
import { ClusterBadge } from "./ClusterBadge";
import { EmptyState } from "./EmptyState";
import { callApi } from "./request-page/api";
import { RelativeTime } from "./RelativeTime";
import { StatusBadge } from "./StatusBadge";

const STATUSES = ["SUBMITTED", "CHANGES_REQUESTED", "APPROVED", "PROVISIONING", "READY", "FAILED", "REJECTED", "DECOMMISSIONED", "ALL"];
const KIND: Record<string, string> = { NEW: "new", CHANGE: "change", DECOMMISSION: "decommission" };

export function ReviewQueue({ initial, teams }: { initial: QueueRow[]; teams: { slug: string; name: string }[] }) {
  const [status, setStatus] = useState("SUBMITTED");
  const [team, setTeam] = useState("");
  const qs = new URLSearchParams({ status, ...(team ? { team } : {}) }).toString();
  const { data, isFetching } = useQuery({
    queryKey: ["review-queue", status, team],
    queryFn: () => callApi<{ requests: QueueRow[] }>(`/api/review?${qs}`).then((b) => b.requests),
    initialData: status === "SUBMITTED" && !team ? initial : undefined,
    refetchInterval: 15_000,
  });
  const rows = data ?? [];
  return (
    <div>
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <label htmlFor="filter-status" className="block text-sm font-medium">
            Status
          </label>
          <select id="filter-status" value={status} onChange={(e) => setStatus(e.target.value)} className="mt-1 rounded-md border border-slate-300 px-2 py-1 text-sm">
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === "ALL" ? "all" : s.toLowerCase().replace(/_/g, " ")}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-team" className="block text-sm font-medium">
            Team
          </label>
          <select id="filter-team" value={team} onChange={(e) => setTeam(e.target.value)} className="mt-1 rounded-md border border-slate-300 px-2 py-1 text-sm">
            <option value="">all teams</option>
            {teams.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        {isFetching ? <span className="text-xs text-slate-400">updating…</span> : null}
      </div>
      <div className="mt-4">
        {rows.length === 0 ? (
          <EmptyState title={status === "SUBMITTED" ? "Nothing to review" : "No requests match"}>
            {status === "SUBMITTED" ? "New runner requests appear here as soon as a team submits them." : "Try another status or team."}
          </EmptyState>
        ) : (
          <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Label</th>
                <th className="px-4 py-2">Kind</th>
                <th className="px-4 py-2">Status</th>
                <th className="px-4 py-2">Team</th>
                <th className="px-4 py-2">Cluster</th>
                <th className="px-4 py-2">Namespace</th>
                <th className="px-4 py-2">GPUs × max runners</th>
                <th className="px-4 py-2">Waiting</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-t border-slate-100">
                  <td className="px-4 py-2 font-mono">
                    <Link href={`/requests/${r.id}`} className="text-brand-700 hover:underline">
                      {r.label}
                    </Link>
                  </td>
                  <td className="px-4 py-2">{KIND[r.reviewKind]}</td>
                  <td className="px-4 py-2">
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="px-4 py-2">{r.team.name}</td>
                  <td className="px-4 py-2">
                    <ClusterBadge name={r.cluster} preferred={r.preferredCluster} />
                  </td>
                  <td className="px-4 py-2 font-mono">{r.namespace}</td>
                  <td className="px-4 py-2">
                    {r.gpus} × {r.maxRunners} = <strong>{r.gpus * r.maxRunners}</strong>
                  </td>
                  <td className="px-4 py-2 text-slate-500">
                    <RelativeTime iso={r.waitingSince} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
