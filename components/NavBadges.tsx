"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { callApi } from "./request-page/api";

type Counts = { pendingReview: number | null; changed: number };

function Badge({ n, label }: { n: number; label: string }) {
  if (n <= 0) return null;
  return (
    <span aria-label={label} className="ml-1 rounded-full bg-brand-600 px-1.5 py-0.5 text-xs font-semibold text-white">
      {n}
    </span>
  );
}

/** Navigation with live counts: requests waiting for review, and team requests changed since last seen. */
export function NavBadges({ initial, reviewer }: { initial: Counts; reviewer: boolean }) {
  const { data } = useQuery({
    queryKey: ["badges"],
    queryFn: () => callApi<Counts>("/api/notifications"),
    initialData: initial,
    refetchInterval: 20_000,
  });
  return (
    <nav aria-label="Main" className="flex gap-4 text-sm">
      <Link href="/requests" className="text-slate-600 hover:text-slate-900">
        My requests
        <Badge n={data.changed} label={`${data.changed} requests changed`} />
      </Link>
      <Link href="/requests/new" className="text-slate-600 hover:text-slate-900">
        New request
      </Link>
      <Link href="/teams" className="text-slate-600 hover:text-slate-900">
        Teams
      </Link>
      {reviewer ? (
        <Link href="/review" className="text-slate-600 hover:text-slate-900">
          Review queue
          <Badge n={data.pendingReview ?? 0} label={`${data.pendingReview} waiting for review`} />
        </Link>
      ) : null}
    </nav>
  );
}
