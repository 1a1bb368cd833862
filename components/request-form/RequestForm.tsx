"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ChangeEvent } from "react";
import type { ClusterSettings } from "@/lib/arc/settings";
import type { RequestLimits } from "@/lib/requests/schema";
import { requestKey } from "@/components/request-page/api";
import { clusterLabel } from "@/components/request-page/cluster-options";
import { GitHubCheckReport } from "@/components/GitHubCheckReport";
import type { GitHubCheck } from "@/lib/requests/github-checks";
import { Field, inputClass } from "./Field";
import { emptyForm, inputForPath, toRequestInput, type FormState } from "./form-state";
import { SizingHelper } from "./SizingHelper";
import { useFormSchemas } from "./form-schemas";
import { LivePreview } from "./LivePreview";

type ServerError = { error: string; fieldErrors?: Record<string, string[]> };

/** Editing an existing request instead of creating one. */
export interface EditTarget {
  id: string;
  version: number;
  status: string;
  keyFingerprint: string | null;
  form: FormState;
  /** The cluster the request targets now, and the requester's preference (null: none). */
  clusterId?: string;
  preferredClusterId?: string | null;
}

/** A cluster the requester may prefer, with the settings and limits the preview and checks use there. */
export interface FormCluster {
  id: string;
  name: string;
  displayName: string;
  settings: ClusterSettings;
  limits: RequestLimits;
}

const describeClass = (c: { name: string; description?: string } | undefined) => (c?.description ? `${c.name}: ${c.description}.` : "");


async function send(url: string, method: "POST" | "PUT", body: unknown): Promise<{ id?: string; number?: number; request?: unknown }> {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = await res.json().catch(() => ({ error: `The portal answered ${res.status}.` }));
  if (!res.ok) throw json as ServerError;
  return json;
}

function firstErrors(issues: { path: PropertyKey[]; message: string }[]): Partial<Record<keyof FormState, string>> {
  const out: Partial<Record<keyof FormState, string>> = {};
  for (const i of issues) out[inputForPath(i.path.map(String).join("."))] ??= i.message;
  return out;
}

export function RequestForm({
  settings: fallbackSettings,
  limits: fallbackLimits,
  edit,
  clusters = [],
  defaultClusterId,
}: {
  /** For a targeted cluster not among `clusters`: the request's own cluster's (an edit), else the environment's. */
  settings: ClusterSettings;
  limits: RequestLimits;
  edit?: EditTarget;
  clusters?: FormCluster[];
  defaultClusterId?: string;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<FormState>(edit?.form ?? emptyForm);
  // A running scale set keeps its name, namespace and cluster; an edit may keep the stored key.
  const live = edit?.status === "READY";
  // The preferred cluster ("" = no preference); the preview and limits are that cluster's.
  const [preferredClusterId, setPreferredClusterId] = useState(edit?.preferredClusterId ?? "");
  const choosesCluster = clusters.length > 1 && !live;
  const target = clusters.find((c) => c.id === (live ? edit?.clusterId : preferredClusterId || (edit?.clusterId ?? defaultClusterId)));
  const settings = target?.settings ?? fallbackSettings;
  const limits = target?.limits ?? fallbackLimits;
  const keepsKey = !!edit?.keyFingerprint && form.privateKey.trim() === "";
  const [touched, setTouched] = useState<Set<keyof FormState>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<keyof FormState, string>>>({});
  const schemas = useFormSchemas(limits);

  // A class is picked only where the cluster has several; elsewhere every request gets the one (default) class.
  const gpuClasses = limits.gpuClasses;
  const choosesClass = gpuClasses.length > 1;
  const input = toRequestInput(choosesClass ? form : { ...form, gpuClass: "" });
  const clusterAnswer = choosesCluster ? { preferredClusterId: preferredClusterId || null } : {};
  const issues = schemas?.request.safeParse(input).error?.issues.filter((i) => !(keepsKey && i.path.join(".") === "githubApp.privateKey")) ?? [];
  const check = { success: issues.length === 0, issues };
  const errors = firstErrors(issues);
  const preview = schemas?.scaleSet.safeParse(input);

  const mutation = useMutation({
    mutationFn: (mode: "submit" | "draft") =>
      edit
        ? send(`/api/requests/${edit.id}`, "PUT", { ...input, ...clusterAnswer, version: edit.version, intent: mode === "draft" ? "save" : "submit" })
        : send("/api/requests", "POST", { ...input, ...clusterAnswer, ...(mode === "draft" ? { draft: true } : {}) }),
    onSuccess: ({ id, request }) => {
      // The request page reads this cache first; it must not show the answers from before the edit.
      if (edit && request) queryClient.setQueryData(requestKey(edit.id), request);
      router.push(`/requests/${edit?.id ?? id}`);
      router.refresh();
    },
    onError: (e: ServerError) => {
      const mapped: Partial<Record<keyof FormState, string>> = {};
      for (const [path, messages] of Object.entries(e.fieldErrors ?? {})) mapped[inputForPath(path)] = messages[0];
      setServerErrors(mapped);
      setShowAll(true);
    },
  });

  const githubCheck = useMutation<GitHubCheck, ServerError>({
    mutationFn: () => send("/api/github/check", "POST", { githubConfigUrl: input.githubConfigUrl, githubApp: input.githubApp }) as Promise<unknown> as Promise<GitHubCheck>,
  });

  const set = (key: keyof FormState) => (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
    setForm((f) => ({ ...f, [key]: e.target.value }));
    setTouched((t) => new Set(t).add(key));
    setServerErrors((s) => ({ ...s, [key]: undefined }));
  };
  const errorFor = (key: keyof FormState) => serverErrors[key] ?? (showAll || touched.has(key) ? errors[key] : undefined);

  async function readPem(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    const text = file.size > 64 * 1024 ? "" : await file.text();
    setForm((f) => ({ ...f, privateKey: text }));
    setTouched((t) => new Set(t).add("privateKey"));
  }

  const text = (key: keyof FormState, extra: Record<string, string | boolean> = {}) => (p: object) => (
    <input {...p} {...extra} className={inputClass} value={form[key]} onChange={set(key)} onBlur={() => setTouched((t) => new Set(t).add(key))} />
  );

  return (
    <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_minmax(0,28rem)]">
      <form
        noValidate
        aria-label="New runner request"
        className="space-y-8"
        aria-busy={mutation.isPending}
        onSubmit={(e) => {
          e.preventDefault();
          setShowAll(true);
          if (check.success && !mutation.isPending && !mutation.isSuccess) mutation.mutate("submit");
        }}
      >
        <fieldset className="space-y-4">
          <legend className="text-lg font-medium">Your team</legend>
          <Field id="team" label="Team / project name" help="Requests are grouped by team; everyone in the team can follow them." error={errorFor("team")}>
            {text("team", { placeholder: "ROCm", ...(edit ? { readOnly: true } : {}) })}
          </Field>
          <Field id="contact" label="Contact" help="An e-mail address or @github-login the OSSCI staff can reach about these runners." error={errorFor("contact")}>
            {text("contact", { placeholder: "lead@example.com" })}
          </Field>
        </fieldset>

        <fieldset className="space-y-4">
          <legend className="text-lg font-medium">Where the runners register</legend>
          <Field
            id="githubConfigUrl"
            label="GitHub organisation or repository URL"
            help="Runners serve jobs of this organisation or repository only (githubConfigUrl)."
            error={errorFor("githubConfigUrl")}
          >
            {text("githubConfigUrl", { placeholder: "https://github.com/ROCm", inputMode: "url" })}
          </Field>
          <Field
            id="label"
            label="Runner label"
            help="The runs-on: label of your workflows, and the scale set's name: at most 45 lowercase letters, digits and '-'. Unique on the cluster."
            error={errorFor("label")}
          >
            {text("label", { placeholder: "linux-mi300-gpu-1", ...(live ? { readOnly: true } : {}) })}
          </Field>
          {clusters.length > 1 && !live ? (
            <Field
              id="preferredClusterId"
              label="Cluster"
              help="Where you would like the runners to run. An OSSCI reviewer makes the final choice after comparing each cluster's capacity; the preview uses the chosen cluster's settings."
              error={mutation.error?.fieldErrors?.preferredClusterId?.[0]}
            >
              {(p) => (
                <select {...p} className={inputClass} value={preferredClusterId} onChange={(e) => setPreferredClusterId(e.target.value)}>
                  <option value="">No preference (the reviewer decides)</option>
                  {clusters.map((c) => (
                    <option key={c.id} value={c.id}>
                      {clusterLabel(c)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : target ? (
            <div>
              <p className="block text-sm font-medium text-slate-800">Cluster</p>
              <p className="mt-1 text-sm" data-testid="fixed-cluster">
                {clusterLabel(target)}
              </p>
              <p className="mt-1 text-xs text-slate-500">
                {live ? "The cluster is fixed once the scale set is provisioned." : "The only cluster the portal provisions on."}
              </p>
            </div>
          ) : null}
          <Field id="namespace" label="Namespace" help="The Kubernetes namespace for your runners; a reviewer may change it. At most 63 lowercase letters, digits and '-'." error={errorFor("namespace")}>
            {text("namespace", { placeholder: "arc-rocm", ...(live ? { readOnly: true } : {}) })}
          </Field>
        </fieldset>

        <fieldset className="space-y-4">
          <legend className="text-lg font-medium">Each runner</legend>
          <div className="grid gap-4 sm:grid-cols-3">
            <Field id="memory" label="Memory per runner" help="A Kubernetes quantity, e.g. 64Gi. Requests and limits are equal." error={errorFor("memory")}>
              {text("memory", { placeholder: "64Gi" })}
            </Field>
            <Field id="cpu" label="CPU cores per runner" help="Cores (8) or millicores (500m)." error={errorFor("cpu")}>
              {text("cpu", { placeholder: "8", inputMode: "decimal" })}
            </Field>
            <Field id="gpus" label="GPUs per runner" help={`Whole ${settings.gpuResourceName} devices; 0 for CPU-only runners.`} error={errorFor("gpus")}>
              {text("gpus", { inputMode: "numeric" })}
            </Field>
          </div>
          {choosesClass ? (
            <Field
              id="gpuClass"
              label="GPU class"
              help={`The kind of GPU node your runners run on; CPU-only runners (0 GPUs) run anywhere. ${describeClass(gpuClasses.find((c) => c.name === (form.gpuClass || limits.defaultGpuClass)))}`}
              error={errorFor("gpuClass")}
            >
              {(p) => (
                <select {...p} className={inputClass} value={form.gpuClass || limits.defaultGpuClass} onChange={set("gpuClass")}>
                  {form.gpuClass && !gpuClasses.some((c) => c.name === form.gpuClass) ? <option value={form.gpuClass}>{form.gpuClass} (not on this cluster)</option> : null}
                  {gpuClasses.map((c) => (
                    <option key={c.name} value={c.name}>
                      {`${c.description ? `${c.name}: ${c.description}` : c.name}${c.name === limits.defaultGpuClass ? " (default)" : ""}`}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : gpuClasses[0] ? (
            <div>
              <p className="block text-sm font-medium text-slate-800">GPU class</p>
              <p className="mt-1 text-sm" data-testid="fixed-gpu-class">
                {gpuClasses[0].description ? `${gpuClasses[0].name}: ${gpuClasses[0].description}` : gpuClasses[0].name}
              </p>
              <p className="mt-1 text-xs text-slate-500">The only kind of GPU node on this cluster.</p>
            </div>
          ) : null}
          <Field
            id="docker"
            label="Do your workflows run docker?"
            help="Yes gives each runner its own Docker daemon (a dind sidecar) that sees only the runner's GPUs; no gives a plain runner."
            error={errorFor("docker")}
          >
            {(p) => (
              <select {...p} className={inputClass} value={form.docker} onChange={set("docker")}>
                <option value="">Choose…</option>
                <option value="yes">Yes, jobs run docker or container actions</option>
                <option value="no">No</option>
              </select>
            )}
          </Field>
          <Field id="image" label="Runner image" help={`Leave empty for the cluster default, ${settings.defaultRunnerImage}.`} error={errorFor("image")}>
            {text("image", { placeholder: settings.defaultRunnerImage })}
          </Field>
        </fieldset>

        <fieldset className="space-y-4">
          <legend className="text-lg font-medium">How many runners</legend>
          <SizingHelper
            ceiling={limits.maxRunnersCeiling}
            onUse={(min, max) => {
              setForm((f) => ({ ...f, minRunners: String(min), maxRunners: String(max) }));
              setTouched((t) => new Set(t).add("minRunners").add("maxRunners"));
            }}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="minRunners" label="Minimum runners" help="Kept running while idle, so jobs start at once. Idle GPU runners hold GPUs others could use." error={errorFor("minRunners")}>
              {text("minRunners", { inputMode: "numeric" })}
            </Field>
            <Field id="maxRunners" label="Maximum runners" help={`Jobs beyond this wait on GitHub. At most ${limits.maxRunnersCeiling} on this cluster.`} error={errorFor("maxRunners")}>
              {text("maxRunners", { inputMode: "numeric" })}
            </Field>
          </div>
        </fieldset>

        <fieldset className="space-y-4">
          <legend className="text-lg font-medium">GitHub App credentials</legend>
          <p className="text-sm text-slate-600">
            Runners register through your team's GitHub App. The private key is encrypted at once, put into the cluster when your
            request is approved, then deleted here. After you submit, the portal shows only its fingerprint.
          </p>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="appId" label="App ID or Client ID" help="On the App's settings page: the numeric App ID or the Client ID (Iv…)." error={errorFor("appId")}>
              {text("appId", { autoComplete: "off" })}
            </Field>
            <Field id="installationId" label="Installation ID" help="The number at the end of the App installation's settings URL." error={errorFor("installationId")}>
              {text("installationId", { inputMode: "numeric", autoComplete: "off" })}
            </Field>
          </div>
          <Field
            id="privateKey"
            label="Private key"
            help={
              edit?.keyFingerprint
                ? `Leave empty to keep the current key (${edit.keyFingerprint}); paste a new .pem to replace it.`
                : "Paste the .pem file GitHub generated for the App, or choose the file below."
            }
            error={errorFor("privateKey")}
          >
            {(p) => (
              <textarea
                {...p}
                rows={5}
                spellCheck={false}
                autoComplete="off"
                className={`${inputClass} font-mono text-xs`}
                placeholder="-----BEGIN RSA PRIVATE KEY-----"
                value={form.privateKey}
                onChange={set("privateKey")}
              />
            )}
          </Field>
          <div>
            <label htmlFor="pemFile" className="block text-sm font-medium text-slate-800">
              Private key file (.pem)
            </label>
            <input id="pemFile" type="file" accept=".pem,application/x-pem-file,text/plain" onChange={readPem} className="mt-1 text-sm" />
          </div>
          <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
            <button
              type="button"
              disabled={githubCheck.isPending || keepsKey}
              onClick={() => githubCheck.mutate()}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 disabled:opacity-60"
            >
              {githubCheck.isPending ? "Asking GitHub…" : "Check with GitHub"}
            </button>
            <span className="ml-2 text-xs text-slate-500">Reads the App, its installation and permissions; submitting checks again.</span>
            {githubCheck.data ? (
              <div className="mt-2">
                <GitHubCheckReport check={githubCheck.data} />
              </div>
            ) : githubCheck.error ? (
              <p role="alert" className="mt-2 text-sm text-red-700">
                {githubCheck.error.error} {Object.values(githubCheck.error.fieldErrors ?? {}).flat().join(" ")}
              </p>
            ) : null}
          </div>
        </fieldset>

        {mutation.isSuccess ? (
          // Navigation to the request page can take a moment; say at once that it worked.
          <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            {mutation.variables === "draft" ? "Draft saved" : edit ? "Sent for review" : "Submitted for review"}
            {mutation.data.number ? ` as request #${mutation.data.number}` : ""}. Opening it…{" "}
            <a className="underline" href={`/requests/${edit?.id ?? mutation.data.id}`}>
              Open the request
            </a>
          </p>
        ) : mutation.error ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {mutation.error.error}
          </p>
        ) : showAll && !check.success ? (
          <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {check.issues.length === 1 ? "One answer needs fixing" : `${check.issues.length} answers need fixing`} before you can submit.
          </p>
        ) : null}

        <div className="flex gap-3">
          {/* Stays disabled after success too: a second click while the page changes must not file twice. */}
          <button type="submit" disabled={mutation.isPending || mutation.isSuccess} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
            {(mutation.isPending || mutation.isSuccess) && mutation.variables === "submit"
              ? mutation.isSuccess
                ? "Submitted"
                : "Submitting…"
              : edit?.status === "CHANGES_REQUESTED"
                ? "Resubmit for review"
                : live
                  ? "Ask for this change"
                  : "Submit for review"}
          </button>
          {edit && edit.status !== "DRAFT" ? null : (
          <button
            type="button"
            disabled={mutation.isPending || mutation.isSuccess}
            onClick={() => mutation.mutate("draft")}
            className="rounded-md border border-slate-300 bg-white px-4 py-2 text-slate-700 hover:bg-slate-50 disabled:opacity-60"
          >
            Save draft
          </button>
          )}
        </div>
      </form>
      <div className="lg:sticky lg:top-6 lg:self-start">
        <LivePreview
          spec={preview?.success ? preview.data : null}
          settings={settings}
          pendingNote="The preview appears once the team, URL, label, namespace, sizes and docker answer are valid."
        />
      </div>
    </div>
  );
}
