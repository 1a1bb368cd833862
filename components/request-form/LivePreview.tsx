"use client";

import { useEffect, useState } from "react";
import type { ClusterSettings } from "@/lib/arc/settings";
import type { ScaleSetSpec } from "@/lib/arc/scale-set-spec";
import { ValuesPreview, type PreviewDocs } from "./ValuesPreview";

type Render = typeof import("./preview-render").renderPreview;

/**
 * The form's preview, rendered in the browser as the person types. The renderer (and yaml)
 * is fetched after the page is up rather than as part of it, which keeps the form's first
 * load small; the answers are still checked while typing by the shared zod schema.
 */
export function LivePreview({ spec, settings, pendingNote }: { spec: ScaleSetSpec | null; settings: ClusterSettings; pendingNote: string }) {
  const [render, setRender] = useState<Render | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    import("./preview-render").then(
      (m) => live && setRender(() => m.renderPreview),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  let docs: PreviewDocs | null = null;
  let note = pendingNote;
  if (spec && render) docs = render(spec, settings);
  else if (spec) note = failed ? "The preview could not be loaded. Reload the page to try again." : "Loading the preview…";
  return <ValuesPreview docs={docs} pendingNote={note} />;
}
