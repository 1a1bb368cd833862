import type { OverlayEntry, OverlayObject } from "@/lib/arc/overlay";

// The "advanced" pod-template overlay of an imported scale set, read-only: one line per thing
// the form's fields cannot say, and the overlay itself for whoever wants the exact patch.
// Shown to the admin before an import and to the reviewer on the request page.

export function AdvancedOverlay({
  overlay,
  entries,
  title = "Advanced (imported) pod template overlay",
}: {
  overlay: OverlayObject | null;
  entries: OverlayEntry[];
  title?: string;
}) {
  return (
    <section aria-label={title} data-testid="advanced-overlay" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm">
      <h2 className="font-medium">{title}</h2>
      {entries.length === 0 ? (
        <p className="mt-1 text-slate-600">None: the form&apos;s fields represent all of it.</p>
      ) : (
        <>
          <p className="mt-1 text-slate-600">
            The form cannot represent these {entries.length} thing(s). They are kept in an overlay applied after the fields are
            rendered, so nothing is dropped; editing the fields keeps them.
          </p>
          <ul className="mt-2 space-y-1" aria-label="Cannot be represented by the form">
            {entries.map((e) => (
              <li key={`${e.path}:${e.what}`} className="grid gap-x-3 sm:grid-cols-[minmax(0,18rem)_minmax(0,1fr)]">
                <code className="break-all text-xs text-slate-700">{e.path}</code>
                <span>{e.what}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {overlay ? (
        <details className="mt-3">
          <summary className="cursor-pointer text-slate-700">The overlay as stored (JSON merge patch, lists by name)</summary>
          <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
            <code>{JSON.stringify(overlay, null, 2)}</code>
          </pre>
        </details>
      ) : null}
    </section>
  );
}
