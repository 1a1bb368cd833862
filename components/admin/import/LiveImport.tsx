"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { EmptyState } from "@/components/EmptyState";
import { callApi, type ApiError } from "@/components/request-page/api";
import type { ImportableList, LiveImportPreview } from "@/lib/clusters/import-live-flow";
import { ImportPreview } from "./ImportPreview";
import { TextField } from "./TextField";

// The cluster's AutoscalingRunnerSets that the portal does not manage, and the import of one:
// owner and contact, a preview of what will be stored, then the import as a READY request.

type Row = ImportableList["scaleSets"][number];

const errorText = (err: unknown) => (err as ApiError | null)?.error ?? "Something went wrong; try again.";

export function LiveImport({ clusterId, timeoutSeconds, teams }: { clusterId: string; timeoutSeconds: number; teams: string[] }) {
  const base = `/api/admin/clusters/${clusterId}/import/live`;
  const list = useQuery({
    queryKey: ["import-live", clusterId],
    queryFn: () => callApi<ImportableList>(base),
    retry: false,
    refetchOnWindowFocus: false,
  });
  const [chosen, setChosen] = useState<Row | null>(null);
  const [imported, setImported] = useState<{ id: string; number: number; name: string } | null>(null);
  // Shown above the list whatever it holds next: the imported scale set leaves it at once.
  const banner = imported ? (
    <section role="status" className="mb-4 rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-sm">
      Imported <span className="font-mono">{imported.name}</span> as{" "}
      <Link href={`/requests/${imported.id}`} className="font-medium text-brand-700 underline">
        request #{imported.number}
      </Link>
      , READY. Nothing in the cluster changed.
    </section>
  ) : null;
  return (
    <>
      {banner}
      <ImportList
        list={list}
        chosen={chosen}
        onChoose={(r) => {
          setChosen(r);
          setImported(null);
        }}
        onImported={(done) => {
          setImported(done);
          setChosen(null);
        }}
        base={base}
        teams={teams}
        timeoutSeconds={timeoutSeconds}
      />
    </>
  );
}

function ImportList({
  list,
  chosen,
  onChoose,
  onImported,
  base,
  teams,
  timeoutSeconds,
}: {
  list: ReturnType<typeof useQuery<ImportableList>>;
  chosen: Row | null;
  onChoose: (row: Row | null) => void;
  onImported: (done: { id: string; number: number; name: string }) => void;
  base: string;
  teams: string[];
  timeoutSeconds: number;
}) {
  if (list.isPending) {
    return (
      <p role="status" className="rounded-md border border-slate-200 bg-white p-4 text-sm text-slate-600">
        <span className="mr-2 inline-block h-3 w-3 animate-spin rounded-full border-2 border-slate-400 border-t-transparent align-middle" />
        Asking the cluster for its scale sets (at most {timeoutSeconds} s)…
      </p>
    );
  }
  if (list.isError) {
    return (
      <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        <p className="font-medium">The cluster could not be asked.</p>
        <p className="mt-1">{errorText(list.error)}</p>
        <button type="button" onClick={() => list.refetch()} className="mt-3 rounded-md border border-red-300 bg-white px-3 py-1 text-red-800 hover:bg-red-100">
          Try again
        </button>
      </div>
    );
  }
  const rows = list.data.scaleSets;
  if (rows.length === 0) {
    return (
      <EmptyState title="Everything is managed">
        Every AutoscalingRunnerSet on {list.data.cluster.displayName} is already managed by the portal, or there are none yet.
      </EmptyState>
    );
  }
  return (
    <div className="space-y-6">
      <div className="overflow-x-auto">
        <table className="w-full rounded-lg border border-slate-200 bg-white text-sm" aria-label="Scale sets the portal does not manage">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-3 py-2">Namespace</th>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">runs-on label</th>
              <th className="px-3 py-2">Min / max</th>
              <th className="px-3 py-2">Image</th>
              <th className="px-3 py-2">GitHub config URL</th>
              <th className="px-3 py-2">Installed by</th>
              <th className="px-3 py-2">
                <span className="sr-only">Import</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.namespace}/${r.name}`} className="border-t border-slate-100 align-top" data-testid={`live-${r.namespace}-${r.name}`}>
                <td className="px-3 py-2 font-mono text-xs">{r.namespace}</td>
                <td className="px-3 py-2 font-mono text-xs">{r.name}</td>
                <td className="px-3 py-2 font-mono text-xs">{r.label}</td>
                <td className="px-3 py-2 tabular-nums">
                  {r.minRunners ?? 0} / {r.maxRunners ?? "no limit"}
                </td>
                <td className="max-w-56 break-all px-3 py-2 font-mono text-xs">{r.image ?? "—"}</td>
                <td className="break-all px-3 py-2 text-xs">{r.githubConfigUrl ?? "—"}</td>
                <td className="px-3 py-2">{r.installedBy}</td>
                <td className="px-3 py-2">
                  {r.labelHeldBy !== null ? (
                    <span className="text-xs text-slate-500">label held by request #{r.labelHeldBy}</span>
                  ) : (
                    <button
                      type="button"
                      aria-label={`Import ${r.namespace}/${r.name}`}
                      onClick={() => onChoose(r)}
                      className="rounded-md bg-brand-600 px-3 py-1 text-white hover:bg-brand-700"
                    >
                      Import
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {chosen ? (
        <ImportOne key={`${chosen.namespace}/${chosen.name}`} base={base} row={chosen} teams={teams} onClose={() => onChoose(null)} onImported={onImported} />
      ) : null}
    </div>
  );
}

function ImportOne({
  base,
  row,
  teams,
  onClose,
  onImported,
}: {
  base: string;
  row: Row;
  teams: string[];
  onClose: () => void;
  onImported: (done: { id: string; number: number; name: string }) => void;
}) {
  const [team, setTeam] = useState("");
  const [contact, setContact] = useState("");
  const queryClient = useQueryClient();
  const body = { namespace: row.namespace, name: row.name, team, contact };
  const preview = useMutation<LiveImportPreview, ApiError>({ mutationFn: () => callApi(`${base}/preview`, { method: "POST", json: body }) });
  const create = useMutation<{ id: string; number: number }, ApiError>({
    mutationFn: () => callApi(base, { method: "POST", json: body }),
    onSuccess: (done) => {
      onImported({ ...done, name: row.name });
      void queryClient.invalidateQueries({ queryKey: ["import-live"] });
    },
  });
  const fieldError = (f: string) => create.error?.fieldErrors?.[f]?.[0] ?? preview.error?.fieldErrors?.[f]?.[0];

  return (
    <section aria-label={`Import ${row.name}`} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-start justify-between">
        <h2 className="font-medium">
          Import <span className="font-mono">{row.namespace}/{row.name}</span>
        </h2>
        <button type="button" onClick={onClose} className="text-sm text-slate-500 hover:underline">
          Cancel
        </button>
      </div>
      <p className="text-sm text-slate-600">
        It becomes a READY request of the team you choose, with its live spec as the approved version. The portal does not
        touch it on the cluster until a reviewer re-applies it.
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          id="import-team"
          label="Owning team"
          help="An existing team (suggested as you type), or a new team's name: it is created without members."
          value={team}
          onChange={setTeam}
          suggestions={teams}
          error={fieldError("team")}
        />
        <TextField
          id="import-contact"
          label="Contact"
          help="E-mail address or GitHub login (@name) of the person to ask about these runners."
          value={contact}
          onChange={setContact}
          error={fieldError("contact")}
        />
      </div>
      <div className="flex gap-3">
        <button type="button" onClick={() => preview.mutate()} disabled={preview.isPending} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
          {preview.isPending ? "Reading the scale set…" : "Show what will be stored"}
        </button>
        <button
          type="button"
          onClick={() => create.mutate()}
          disabled={create.isPending || !preview.data || preview.data.needsInput.length > 0}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white hover:bg-brand-700 disabled:opacity-50"
        >
          {create.isPending ? "Importing…" : "Confirm import"}
        </button>
      </div>
      {preview.error ? <p role="alert" className="text-sm text-red-700">{preview.error.error}</p> : null}
      {create.error ? <p role="alert" className="text-sm text-red-700">{create.error.error}</p> : null}
      {preview.data ? <ImportPreview preview={preview.data} /> : null}
    </section>
  );
}
