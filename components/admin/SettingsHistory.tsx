import { RelativeTime } from "@/components/RelativeTime";
import type { HistoryEntry } from "@/lib/clusters/settings-admin";
import { FieldChangesTable } from "./SettingsChangeTables";

/** The audited settings changes of a cluster, newest first: who, when, before → after. */
export function SettingsHistory({ history }: { history: HistoryEntry[] }) {
  if (history.length === 0) {
    return <p className="text-sm text-slate-600">No settings saved yet: the cluster uses the portal&apos;s ARC_* environment settings.</p>;
  }
  return (
    <ol className="space-y-4" data-testid="settings-history">
      {history.map((h) => (
        <li key={h.id} className="rounded-md border border-slate-200 bg-white p-3" data-testid="settings-history-entry">
          <p className="text-sm text-slate-700">
            <span className="font-medium text-slate-900">{h.by ?? "the portal"}</span>{" "}
            {h.fromEnvironment && h.changes.length === 0
              ? "registered the cluster with the portal's environment settings"
              : h.fromEnvironment
                ? "saved the cluster's own settings, changing from the environment's"
                : "changed"}{" "}
            <RelativeTime iso={h.at} />
          </p>
          {h.changes.length > 0 ? (
            <div className="mt-2">
              <FieldChangesTable changes={h.changes} />
            </div>
          ) : h.fromEnvironment ? null : (
            <p className="mt-1 text-sm text-slate-500">No field changed.</p>
          )}
        </li>
      ))}
    </ol>
  );
}
