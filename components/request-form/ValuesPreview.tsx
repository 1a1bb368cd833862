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
  // Long lines (image names, device scripts) wrap by default; soft wraps are not copied, so a copy is the file as it is.
  const [wrap, setWrap] = useState(true);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = (text: string) =>
    navigator.clipboard.writeText(text).then(
      () => setCopied("Copied."),
      () => setCopied("The browser did not allow copying; select the text instead."),
    );
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
            onClick={() => {
              setTab(t.key);
              setCopied(null);
            }}
            className={`rounded-t-md px-3 py-1.5 text-sm ${tab === t.key ? "bg-slate-100 font-medium text-slate-900" : "text-slate-500 hover:text-slate-800"}`}
          >
            {t.title}
          </button>
        ))}
      </div>
      {docs ? (
        <>
          <div className="flex items-center gap-3 px-4 pt-2 text-xs text-slate-600">
            <label className="flex items-center gap-1">
              <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} />
              Wrap long lines
            </label>
            <button type="button" onClick={() => void copy(docs[tab])} className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50">
              Copy {TABS.find((t) => t.key === tab)!.title}
            </button>
            <span role="status">{copied}</span>
          </div>
          <pre
            role="tabpanel"
            data-testid={`preview-${tab}`}
            className={`max-h-[36rem] overflow-auto p-4 text-xs leading-relaxed text-slate-800 ${wrap ? "whitespace-pre-wrap wrap-anywhere" : ""}`}
          >
            {docs[tab]}
          </pre>
        </>
      ) : (
        <p role="tabpanel" className="p-4 text-sm text-slate-500">
          {pendingNote ?? "Fill in the form to see the generated files."}
        </p>
      )}
    </section>
  );
}
