import Link from "next/link";
import type { SettingsFieldChange } from "@/lib/clusters/settings-diff";
import type { ScaleSetPreview } from "@/lib/clusters/settings-preview";
import { settingLabel } from "./settings-labels";

/** Settings before → after, one row per changed field. */
export function FieldChangesTable({ changes, testId }: { changes: SettingsFieldChange[]; testId?: string }) {
  return (
    <table className="w-full text-sm" data-testid={testId}>
      <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="py-1 pr-4">Setting</th>
          <th className="py-1 pr-4">Before</th>
          <th className="py-1">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path} className="border-t border-slate-100 align-top">
            <td className="py-1 pr-4 font-medium text-slate-800">{settingLabel(c.path)}</td>
            <td className="py-1 pr-4 font-mono text-xs break-all text-red-800">{c.before === null ? <span className="text-slate-400">—</span> : <del>{c.before}</del>}</td>
            <td className="py-1 font-mono text-xs break-all text-green-800">{c.after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Per live scale set: each object the new settings would change, and each field of it. */
export function ScaleSetDiffs({ scaleSets }: { scaleSets: ScaleSetPreview[] }) {
  return (
    <ul className="space-y-4" data-testid="scale-set-diffs">
      {scaleSets.map((s) => (
        <li key={s.requestId} className="rounded-md border border-slate-200 bg-white" data-testid="scale-set-diff">
          <div className="flex items-baseline gap-2 border-b border-slate-100 bg-slate-50 px-3 py-2 text-sm">
            <Link href={`/requests/${s.requestId}`} className="font-medium text-brand-700 hover:underline">
              #{s.number} {s.label}
            </Link>
            <span className="text-slate-500">in namespace {s.namespace}</span>
          </div>
          <table className="w-full text-xs">
            <tbody>
              {s.objects.flatMap((o) =>
                o.changes.map((c, i) => (
                  <tr key={`${o.object}-${c.path}-${i}`} className="border-t border-slate-100 align-top first:border-t-0">
                    <td className="w-1/4 px-3 py-1 text-slate-600">{i === 0 ? o.object : ""}</td>
                    <td className="w-1/3 px-3 py-1 font-mono break-all text-slate-800">{c.path || "(whole object)"}</td>
                    <td className="px-3 py-1 font-mono break-all text-slate-800">{c.what}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </li>
      ))}
    </ul>
  );
}
