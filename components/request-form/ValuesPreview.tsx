"use client";

import { useState } from "react";

export interface PreviewDocs {
  label: string;
  values: string;
  manifests: string;
  workflow: string;
}

const TABS = [
  { key: "values", title: "values.yaml" },
  { key: "manifests", title: "Kubernetes objects" },
  { key: "workflow", title: "Sample workflow" },
] as const;

/** The generated files, in tabs; used by the form's live preview and the request page. */
export function ValuesPreview({ docs, pendingNote }: { docs: PreviewDocs | null; pendingNote?: string }) {
  const [tab, setTab] = useState<(typeof TABS)[number]["key"]>("values");
  return (
    <section aria-label="Preview" className="rounded-lg border border-slate-200 bg-white">
      <div className="border-b border-slate-200 px-4 py-3">
        <p className="text-xs uppercase tracking-wide text-slate-500">Your workflows will use</p>
        <p className="mt-1 font-mono text-sm" data-testid="runs-on">
          runs-on: <span className="font-semibold">{docs?.label || "…"}</span>
        </p>
      </div>
      <div role="tablist" aria-label="Generated files" className="flex gap-1 border-b border-slate-200 px-2 pt-2">
        {TABS.map((t) => (
          <button
            key={t.key}
            role="tab"
            type="button"
            aria-selected={tab === t.key}
            onClick={() => setTab(t.key)}
            className={`rounded-t-md px-3 py-1.5 text-sm ${tab === t.key ? "bg-slate-100 font-medium text-slate-900" : "text-slate-500 hover:text-slate-800"}`}
          >
            {t.title}
          </button>
        ))}
      </div>
      {docs ? (
        <pre role="tabpanel" data-testid={`preview-${tab}`} className="max-h-[36rem] overflow-auto p-4 text-xs leading-relaxed text-slate-800">
          {docs[tab]}
        </pre>
      ) : (
        <p role="tabpanel" className="p-4 text-sm text-slate-500">
          {pendingNote ?? "Fill in the form to see the generated files."}
        </p>
      )}
    </section>
  );
}
