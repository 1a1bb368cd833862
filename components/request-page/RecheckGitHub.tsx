"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { callApi, requestKey, type ApiError } from "./api";

/** Asks GitHub again about the stored request; the page then shows the new answer and its timeline entry. */
export function RecheckGitHub({ requestId }: { requestId: string }) {
  const qc = useQueryClient();
  const recheck = useMutation({
    mutationKey: ["github-recheck", requestId],
    mutationFn: () => callApi(`/api/requests/${requestId}/github-check`, { method: "POST" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: requestKey(requestId) }),
  });
  return (
    <span className="mt-1 inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        disabled={recheck.isPending}
        onClick={() => recheck.mutate()}
        className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm text-slate-700 hover:bg-slate-50 disabled:opacity-60"
      >
        {recheck.isPending ? "Asking GitHub…" : "Check with GitHub again"}
      </button>
      {recheck.error ? (
        <span role="alert" className="text-sm text-red-700">
          {(recheck.error as unknown as ApiError).error}
        </span>
      ) : null}
    </span>
  );
}
