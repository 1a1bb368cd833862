"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ChangeEvent, type ReactNode } from "react";
import { Field, inputClass } from "@/components/request-form/Field";
import { callApi, type ApiError } from "@/components/request-page/api";
import { clusterSettingsSchema, type ClusterSettings } from "@/lib/arc/settings";
import type { SaveResult, SettingsPreview } from "@/lib/clusters/settings-admin";
import { FieldChangesTable, ScaleSetDiffs } from "./SettingsChangeTables";
import {
  emptyGpuClass,
  fieldForPath,
  formFromSettings,
  settingsFromForm,
  type GpuClassForm,
  type SettingsForm,
  type TolerationRow,
} from "./settings-form-state";
import { SETTING_LABELS } from "./settings-labels";

const EFFECTS = ["", "NoSchedule", "PreferNoSchedule", "NoExecute"];
const smallInput = "block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/**
 * Edit a cluster's settings in two steps: preview (which live scale sets would change, and how),
 * then save (an audited event). Saving changes nothing on the cluster until a reviewer re-applies.
 */
export function ClusterSettingsEditor({ clusterId, initial, version: initialVersion }: { clusterId: string; initial: ClusterSettings; version: number }) {
  const router = useRouter();
  const [form, setForm] = useState<SettingsForm>(() => formFromSettings(initial));
  const [version, setVersion] = useState(initialVersion);
  const [showAll, setShowAll] = useState(false);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [preview, setPreview] = useState<{ for: string; result: SettingsPreview } | null>(null);
  const [saved, setSaved] = useState<SaveResult | null>(null);
  const [serverError, setServerError] = useState<ApiError | null>(null);

  const candidate = settingsFromForm(form);
  const candidateKey = JSON.stringify(candidate);
  const parsed = clusterSettingsSchema.safeParse(candidate);
  const errors: Record<string, string> = {};
  for (const i of parsed.error?.issues ?? []) errors[fieldForPath(i.path.map(String).join("."))] ??= i.message;
  for (const [path, messages] of Object.entries(serverError?.fieldErrors ?? {})) errors[fieldForPath(path)] ??= messages[0]!;
  const err = (f: string) => (showAll || touched.has(f) ? errors[f] : undefined);
  const current = preview?.for === candidateKey ? preview.result : null;

  const update = (patch: Partial<SettingsForm>) => {
    setForm((s) => ({ ...s, ...patch }));
    setSaved(null);
    setServerError(null);
  };
  const text = (f: keyof SettingsForm) => ({
    value: form[f] as string,
    onChange: (e: ChangeEvent<HTMLInputElement>) => update({ [f]: e.target.value } as Partial<SettingsForm>),
    onBlur: () => setTouched((t) => new Set(t).add(f)),
  });

  const previewMutation = useMutation({
    mutationFn: () => callApi<SettingsPreview>(`/api/admin/clusters/${clusterId}/settings/preview`, { method: "POST", json: { settings: candidate } }),
    onSuccess: (result) => setPreview({ for: candidateKey, result }),
    onError: (e: ApiError) => setServerError(e),
  });
  const saveMutation = useMutation({
    mutationFn: () => callApi<SaveResult>(`/api/admin/clusters/${clusterId}/settings`, { method: "PUT", json: { settings: candidate, version } }),
    onSuccess: (result) => {
      setSaved(result);
      setVersion(result.version);
      setPreview(null);
      router.refresh();
    },
    onError: (e: ApiError) => setServerError(e),
  });

  const field = (f: keyof SettingsForm & string, help: ReactNode, placeholder?: string) => (
    <Field id={`setting-${f}`} label={SETTING_LABELS[pathOf(f)] ?? f} help={help} error={err(f)}>
      {(p) => <input {...p} {...text(f)} placeholder={placeholder} className={inputClass} autoComplete="off" spellCheck={false} />}
    </Field>
  );

  return (
    <form
      noValidate
      className="space-y-8"
      onSubmit={(e) => {
        e.preventDefault();
        setShowAll(true);
        if (parsed.success) previewMutation.mutate();
      }}
    >
      <fieldset className="grid gap-5 sm:grid-cols-2">
        <legend className="mb-3 text-base font-semibold text-slate-900">GPUs</legend>
        {field("gpuResourceName", "The extended resource GPU pods request, with equal request and limit.", "amd.com/gpu")}
        <Field id="setting-defaultGpuClass" label={SETTING_LABELS.defaultGpuClass!} help="The class of requests that pick none." error={err("defaultGpuClass")}>
          {(p) => (
            <select {...p} className={inputClass} value={form.defaultGpuClass} onChange={(e) => update({ defaultGpuClass: e.target.value })}>
              {form.gpuClasses.some((c) => c.name.trim() === form.defaultGpuClass) ? null : <option value={form.defaultGpuClass}>{form.defaultGpuClass || "Choose…"}</option>}
              {form.gpuClasses
                .filter((c) => c.name.trim() !== "")
                .map((c, i) => (
                  <option key={i} value={c.name.trim()}>
                    {c.name.trim()}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <div className="space-y-4 sm:col-span-2">
          <p className="text-sm text-slate-600">
            Each GPU class is a kind of GPU node with its own node selector and tolerations. With more than one, requesters pick a class
            on the form; CPU-only scale sets ignore the classes.
          </p>
          {form.gpuClasses.map((c, i) => (
            <GpuClassEditor
              key={i}
              index={i}
              value={c}
              removable={form.gpuClasses.length > 1}
              err={err}
              onChange={(next) => {
                const renamedDefault = form.gpuClasses[i]!.name.trim() === form.defaultGpuClass && next.name !== c.name;
                update({
                  gpuClasses: form.gpuClasses.map((x, j) => (j === i ? next : x)),
                  ...(renamedDefault ? { defaultGpuClass: next.name.trim() } : {}),
                });
              }}
              onRemove={() => {
                const rest = form.gpuClasses.filter((_, j) => j !== i);
                update({ gpuClasses: rest, ...(c.name.trim() === form.defaultGpuClass ? { defaultGpuClass: rest[0]!.name.trim() } : {}) });
              }}
            />
          ))}
          {err("gpuClasses") ? <p className="text-sm text-red-700">{err("gpuClasses")}</p> : null}
          <button type="button" className="text-sm text-brand-700 hover:underline" onClick={() => update({ gpuClasses: [...form.gpuClasses, emptyGpuClass()] })}>
            + Add GPU class
          </button>
        </div>
      </fieldset>

      <fieldset className="grid gap-5 sm:grid-cols-2">
        <legend className="mb-3 text-base font-semibold text-slate-900">Images</legend>
        {field("defaultRunnerImage", "The runner image of requests that name none.", "ghcr.io/actions/actions-runner:latest")}
        {field("dindImage", "The docker sidecar of requests whose workflows use docker.", "docker:dind")}
      </fieldset>

      <fieldset className="grid gap-5 sm:grid-cols-2">
        <legend className="mb-3 text-base font-semibold text-slate-900">ARC controller</legend>
        {field("controllerName", "The gha-runner-scale-set-controller's service account; each scale set's manager Role is bound to it.")}
        {field("controllerNamespace", "The namespace the controller runs in.")}
        {field(
          "chartVersion",
          "The gha-runner-scale-set chart version installed on this cluster. It becomes the app.kubernetes.io/version label: the controller deletes scale sets whose label differs from its own major.minor.",
          "0.14.2",
        )}
        {field("secretNameTemplate", "Name of each scale set's GitHub App Secret; {label} becomes the runner label, so teams sharing a namespace keep separate Secrets.")}
      </fieldset>

      <fieldset className="grid gap-5 sm:grid-cols-2">
        <legend className="mb-3 text-base font-semibold text-slate-900">Limits for each team&apos;s request</legend>
        {field("maxRunnersCeiling", "The largest maxRunners a request may ask for (1–1000).")}
        {field("maxGpusPerRunner", "The most GPUs one runner may ask for; a pod cannot span nodes (1–64).")}
        {field("teamMaxRunners", "The most runners (sum of maxRunners) one team's approved scale sets may have on this cluster. Empty: no ceiling.")}
        {field("teamMaxGpus", "The most GPUs (sum of maxRunners × GPUs per runner) one team's approved scale sets may hold on this cluster. Empty: no ceiling.")}
        {field("reservedNamespaces", "Namespaces of system software no request may use, comma-separated. kube-*, default, the controller's namespace and the portal's own are refused anyway.")}
        <div className="sm:col-span-2">
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" checked={form.allowCreateNamespace} onChange={(e) => update({ allowCreateNamespace: e.target.checked })} />
            <span>
              <span className="font-medium text-slate-800">{SETTING_LABELS.allowCreateNamespace}</span>
              <span className="block text-xs text-slate-500">Off: a request&apos;s namespace must already exist on the cluster; provisioning fails otherwise.</span>
            </span>
          </label>
        </div>
      </fieldset>

      {serverError && !serverError.fieldErrors ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {serverError.error}
        </p>
      ) : null}

      <div className="flex gap-3">
        <button type="submit" disabled={previewMutation.isPending} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50">
          {previewMutation.isPending ? "Working out the changes…" : "Preview changes"}
        </button>
        {showAll && !parsed.success ? <p className="self-center text-sm text-red-700">Fix the fields marked above first.</p> : null}
      </div>

      {current ? (
        <section aria-label="Preview" className="space-y-4 rounded-lg border border-brand-600/40 bg-brand-50 p-4" data-testid="settings-preview">
          {current.fields.length === 0 ? (
            <p className="text-sm">These are the cluster&apos;s current settings: there is nothing to save.</p>
          ) : (
            <>
              <h3 className="font-semibold text-slate-900">What you are changing</h3>
              <FieldChangesTable changes={current.fields} testId="preview-fields" />
              <h3 className="font-semibold text-slate-900">Scale sets this would change</h3>
              {current.scaleSets.length === 0 ? (
                <p className="text-sm text-slate-700" data-testid="no-scale-set-changes">No live scale set on this cluster renders differently with these settings.</p>
              ) : (
                <>
                  <p className="text-sm text-slate-700">
                    {current.scaleSets.length} live scale set{current.scaleSets.length === 1 ? "" : "s"} would change as below, once a reviewer re-applies{" "}
                    {current.scaleSets.length === 1 ? "it" : "each one"}. Saving alone changes nothing on the cluster.
                  </p>
                  <ScaleSetDiffs scaleSets={current.scaleSets} />
                </>
              )}
              <button
                type="button"
                onClick={() => saveMutation.mutate()}
                disabled={saveMutation.isPending}
                className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
              >
                {saveMutation.isPending ? "Saving…" : "Save settings"}
              </button>
            </>
          )}
        </section>
      ) : null}

      {saved ? (
        <section role="status" className="space-y-2 rounded-lg border border-green-300 bg-green-50 p-4 text-sm" data-testid="settings-saved">
          {saved.changed ? (
            <>
              <p className="font-medium text-green-900">Saved. Nothing has changed on the cluster yet.</p>
              {saved.pending.length === 0 ? (
                <p>No live scale set is affected; new requests use the new settings.</p>
              ) : (
                <>
                  <p>
                    These scale sets keep running with the settings they were applied with until a reviewer re-applies each one from its
                    request page:
                  </p>
                  <ul className="list-inside list-disc" data-testid="pending-reapply">
                    {saved.pending.map((s) => (
                      <li key={s.requestId}>
                        <Link href={`/requests/${s.requestId}`} className="text-brand-700 hover:underline">
                          #{s.number} {s.label}
                        </Link>{" "}
                        <span className="text-slate-500">in {s.namespace}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          ) : (
            <p>Nothing to save: these were already the cluster&apos;s settings.</p>
          )}
        </section>
      ) : null}
    </form>
  );
}

function pathOf(f: string): string {
  if (f === "controllerName") return "controllerServiceAccount.name";
  if (f === "controllerNamespace") return "controllerServiceAccount.namespace";
  return f;
}

type ClassProps = {
  index: number;
  value: GpuClassForm;
  removable: boolean;
  err: (field: string) => string | undefined;
  onChange: (next: GpuClassForm) => void;
  onRemove: () => void;
};

/** One GPU class: name, description, node selector rows and toleration rows, inside a group named "GPU class N". */
function GpuClassEditor({ index, value, removable, err, onChange, onRemove }: ClassProps) {
  const at = (f: string) => `gpuClasses.${index}.${f}`;
  const id = (f: string) => `setting-gpu-class-${index}-${f}`;
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" data-testid={`gpu-class-${index}`}>
      <legend className="px-1 text-sm font-semibold text-slate-800">GPU class {index + 1}</legend>
      <div className="grid gap-3 sm:grid-cols-[12rem_1fr_auto] sm:items-start">
        <Field id={id("name")} label="Class name" help="Lowercase letters, digits and '-', e.g. mi300." error={err(at("name"))}>
          {(p) => <input {...p} className={inputClass} value={value.name} autoComplete="off" spellCheck={false} onChange={(e) => onChange({ ...value, name: e.target.value })} />}
        </Field>
        <Field id={id("description")} label="Class description" help="What requesters read when they pick a class, e.g. MI300X nodes, 8 GPUs each." error={err(at("description"))}>
          {(p) => <input {...p} className={inputClass} value={value.description} onChange={(e) => onChange({ ...value, description: e.target.value })} />}
        </Field>
        {removable ? (
          <button type="button" className="mt-6 text-sm text-red-700 hover:underline" onClick={onRemove}>
            Remove class {index + 1}
          </button>
        ) : null}
      </div>
      <NodeSelectorRows index={index} rows={value.nodeSelector} onRows={(nodeSelector) => onChange({ ...value, nodeSelector })} error={err(at("nodeSelector"))} />
      <TolerationRows index={index} rows={value.tolerations} onRows={(tolerations) => onChange({ ...value, tolerations })} error={err(at("tolerations"))} />
    </fieldset>
  );
}

type RowsProps<T> = { index: number; rows: T[]; onRows: (rows: T[]) => void; error?: string };

/** A labelled list of rows with its hint, the button that adds one and the list's error. */
function RowGroup({ id, title, hint, addLabel, onAdd, error, children }: { id: string; title: string; hint: string; addLabel: string; onAdd: () => void; error?: string; children: ReactNode }) {
  return (
    <div role="group" aria-labelledby={id}>
      <p id={id} className="text-sm font-medium text-slate-800">
        {title}
      </p>
      <p className="text-xs text-slate-500">{hint}</p>
      <div className="mt-2 space-y-2">{children}</div>
      <button type="button" className="mt-2 text-sm text-brand-700 hover:underline" onClick={onAdd}>
        {addLabel}
      </button>
      {error ? <p className="mt-1 text-sm text-red-700">{error}</p> : null}
    </div>
  );
}

/** One field of a row, labelled with the row's number so that each label stays unique. */
function RowField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="text-xs text-slate-600">
      {label}
      {children}
    </label>
  );
}

function RemoveRow({ onRemove }: { onRemove: () => void }) {
  return (
    <button type="button" className="text-xs text-red-700 hover:underline" onClick={onRemove}>
      Remove
    </button>
  );
}

function NodeSelectorRows({ index, rows, onRows, error }: RowsProps<GpuClassForm["nodeSelector"][number]>) {
  const set = (i: number, patch: Partial<(typeof rows)[number]>) => onRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <RowGroup
      id={`node-selector-label-${index}`}
      title="Node selector"
      hint="Node labels a GPU pod of this class must match, e.g. santaclara = yes."
      addLabel="+ Add node label"
      onAdd={() => onRows([...rows, { key: "", value: "" }])}
      error={error}
    >
      {rows.map((r, i) => (
        <div key={i} className="grid grid-cols-[1fr_1fr_auto] items-end gap-2">
          <RowField label={`Node label ${i + 1}`}>
            <input className={smallInput} value={r.key} onChange={(e) => set(i, { key: e.target.value })} />
          </RowField>
          <RowField label={`Value ${i + 1}`}>
            <input className={smallInput} value={r.value} onChange={(e) => set(i, { value: e.target.value })} />
          </RowField>
          <RemoveRow onRemove={() => onRows(rows.filter((_, j) => j !== i))} />
        </div>
      ))}
    </RowGroup>
  );
}

function TolerationRows({ index, rows, onRows, error }: RowsProps<TolerationRow>) {
  const set = (i: number, patch: Partial<TolerationRow>) => onRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <RowGroup
      id={`tolerations-label-${index}`}
      title="Tolerations"
      hint="Taints of this class's nodes that its GPU pods tolerate, e.g. key shark-ci, operator Equal, value reserved, effect NoSchedule."
      addLabel="+ Add toleration"
      onAdd={() => onRows([...rows, { key: "", operator: "", value: "", effect: "", seconds: "" }])}
      error={error}
    >
      {rows.map((r, i) => (
        <div key={i} className="grid grid-cols-[1fr_auto_1fr_auto_6rem_auto] items-end gap-2">
          <RowField label={`Taint key ${i + 1}`}>
            <input className={smallInput} value={r.key} onChange={(e) => set(i, { key: e.target.value })} />
          </RowField>
          <RowField label={`Operator ${i + 1}`}>
            <select className={smallInput} value={r.operator} onChange={(e) => set(i, { operator: e.target.value as TolerationRow["operator"] })}>
              <option value="">(Equal)</option>
              <option value="Equal">Equal</option>
              <option value="Exists">Exists</option>
            </select>
          </RowField>
          <RowField label={`Taint value ${i + 1}`}>
            <input className={smallInput} value={r.value} onChange={(e) => set(i, { value: e.target.value })} />
          </RowField>
          <RowField label={`Effect ${i + 1}`}>
            <select className={smallInput} value={r.effect} onChange={(e) => set(i, { effect: e.target.value })}>
              {EFFECTS.map((e) => (
                <option key={e} value={e}>
                  {e || "(any)"}
                </option>
              ))}
            </select>
          </RowField>
          <RowField label={`Seconds ${i + 1}`}>
            <input className={smallInput} value={r.seconds} inputMode="numeric" onChange={(e) => set(i, { seconds: e.target.value })} />
          </RowField>
          <RemoveRow onRemove={() => onRows(rows.filter((_, j) => j !== i))} />
        </div>
      ))}
    </RowGroup>
  );
}
