import { AdvancedOverlay } from "@/components/AdvancedOverlay";
import type { OverlayEntry, OverlayObject } from "@/lib/arc/overlay";
import type { ScaleSetSpec } from "@/lib/arc/scale-set-spec";

// What an import will store: the form's fields, what is still missing, and the overlay with
// everything the fields cannot say.

const FIELDS: [keyof ScaleSetSpec, string][] = [
  ["team", "Team"],
  ["contact", "Contact"],
  ["githubConfigUrl", "GitHub URL"],
  ["label", "Runner label"],
  ["namespace", "Namespace"],
  ["memory", "Memory per runner"],
  ["cpu", "CPU cores per runner"],
  ["gpus", "GPUs per runner"],
  ["minRunners", "Minimum runners"],
  ["maxRunners", "Maximum runners"],
  ["docker", "Docker"],
  ["image", "Runner image"],
];

function show(value: unknown, field: keyof ScaleSetSpec): string {
  if (value === undefined || value === null || value === "") return field === "image" ? "cluster default" : "—";
  if (typeof value === "boolean") return value ? "yes (dind sidecar)" : "no";
  return String(value);
}

export type PreviewData = {
  fields: Partial<ScaleSetSpec>;
  needsInput: { field: string; why: string }[];
  advanced: OverlayObject | null;
  unrepresented: OverlayEntry[];
  cannotApply: string[];
};

export function ImportPreview({ preview }: { preview: PreviewData }) {
  return (
    <div className="space-y-4" data-testid="import-preview">
      {preview.needsInput.length > 0 ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          <p className="font-medium">Before importing:</p>
          <ul className="mt-1 list-disc pl-5">
            {preview.needsInput.map((n) => (
              <li key={`${n.field}:${n.why}`}>
                <span className="font-mono">{n.field}</span>: {n.why}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {preview.cannotApply.length > 0 ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          The portal cannot apply {preview.cannotApply.join(", ")} as the chart would, so it cannot manage this scale set. Keep
          managing it with helm.
        </p>
      ) : null}
      <section aria-label="Form fields">
        <h3 className="font-medium">The form&apos;s fields</h3>
        <dl className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white px-4 text-sm">
          {FIELDS.map(([field, label]) => (
            <div key={field} className="grid grid-cols-3 gap-2 py-1.5">
              <dt className="text-slate-500">{label}</dt>
              <dd className="col-span-2 break-all" data-testid={`field-${field}`}>
                {show(preview.fields[field], field)}
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <AdvancedOverlay overlay={preview.advanced} entries={preview.unrepresented} title="Cannot be represented by the form: kept in the advanced overlay" />
    </div>
  );
}
