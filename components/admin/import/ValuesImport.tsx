"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Field, inputClass } from "@/components/request-form/Field";
import { callApi, type ApiError } from "@/components/request-page/api";
import type { ValuesImportPreview } from "@/lib/clusters/import-values-flow";
import { MAX_VALUES_FILE_CHARS } from "@/lib/clusters/import-body";
import { ImportPreview } from "./ImportPreview";
import { TextField } from "./TextField";

// Upload or paste a values file; see how it maps onto the form and what the form cannot hold;
// then import it. The file never comes back from the server, and an inline private key in it
// is shown only as its fingerprint.

const OUTCOME: Record<string, string> = {
  READY: "It runs on the cluster already: the import binds to it as a READY request and keeps its live spec as the approved version. Nothing in the cluster changes.",
  SUBMITTED: "It does not run on the cluster: the import is a SUBMITTED request that a reviewer other than you approves; provisioning then applies it with its overlay.",
};

export function ValuesImport({ clusterId, teams }: { clusterId: string; teams: string[] }) {
  const base = `/api/admin/clusters/${clusterId}/import/values`;
  const [file, setFile] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<string | undefined>(undefined);
  const [team, setTeam] = useState("");
  const [contact, setContact] = useState("");
  const [label, setLabel] = useState("");
  const [namespace, setNamespace] = useState("");
  const [githubConfigUrl, setGithubConfigUrl] = useState("");
  const [githubSecret, setGithubSecret] = useState("");
  const body = { file, team, contact, label, namespace, githubConfigUrl, githubSecret };
  const preview = useMutation<ValuesImportPreview, ApiError>({ mutationFn: () => callApi(`${base}/preview`, { method: "POST", json: body }) });
  const create = useMutation<{ id: string; number: number; status: string }, ApiError>({ mutationFn: () => callApi(base, { method: "POST", json: body }) });
  const fieldError = (f: string) => create.error?.fieldErrors?.[f]?.[0] ?? preview.error?.fieldErrors?.[f]?.[0];

  async function upload(input: HTMLInputElement) {
    const f = input.files?.[0];
    if (!f) return;
    if (f.size > MAX_VALUES_FILE_CHARS) {
      // The field says why; the input goes back to no file, and what was read before stays.
      setUploadError(`${f.name} is larger than ${MAX_VALUES_FILE_CHARS / 1024} KiB; a values file is a few KiB.`);
      input.value = "";
      return;
    }
    setUploadError(undefined);
    setFileName(f.name);
    setFile(await f.text());
    preview.reset();
    create.reset();
  }

  if (create.data) {
    return (
      <section role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-sm">
        Imported as{" "}
        <Link href={`/requests/${create.data.id}`} className="font-medium text-brand-700 underline">
          request #{create.data.number}
        </Link>{" "}
        ({create.data.status === "READY" ? "READY, bound to the running scale set" : "SUBMITTED for review"}).
      </section>
    );
  }
  const p = preview.data;
  return (
    <div className="space-y-6">
      <section aria-label="The file and its answers" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
        <Field id="values-upload" label="Upload a values file" help={`The file you gave helm with -f: YAML, at most ${MAX_VALUES_FILE_CHARS / 1024} KiB.`} error={uploadError} alert>
          {(props) => (
            <input {...props} type="file" accept=".yaml,.yml,text/yaml,text/plain" onChange={(e) => upload(e.currentTarget)} className="text-sm" />
          )}
        </Field>
        {fileName ? <p className="text-xs text-slate-500">Read {fileName}.</p> : null}
        <Field id="values-text" label="Values file" help="Or paste it here. An inline GitHub App key is sealed like one typed into the form; a personal access token is refused." error={fieldError("file")}>
          {(props) => (
            <textarea
              {...props}
              value={file}
              onChange={(e) => setFile(e.target.value)}
              rows={10}
              spellCheck={false}
              className={`${inputClass} font-mono text-xs`}
            />
          )}
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField id="values-team" label="Owning team" help="An existing team (suggested), or a new team's name." value={team} onChange={setTeam} suggestions={teams} error={fieldError("team")} />
          <TextField id="values-contact" label="Contact" help="E-mail address or GitHub login (@name)." value={contact} onChange={setContact} error={fieldError("contact")} />
          <TextField id="values-label" label="Runner label" help="The helm release name; read from the file's helm command comment when it has one." value={label} onChange={setLabel} error={fieldError("label")} />
          <TextField id="values-namespace" label="Namespace" help="Where it was (or will be) installed; read from the helm command comment when it has one." value={namespace} onChange={setNamespace} error={fieldError("namespace")} />
          <TextField id="values-url" label="GitHub URL" help="Only when the file has no githubConfigUrl." value={githubConfigUrl} onChange={setGithubConfigUrl} error={fieldError("githubConfigUrl")} />
          <TextField
            id="values-secret"
            label="GitHub App Secret"
            help="Name of the existing Secret in the namespace with the App's credentials; only when the file names none (githubConfigSecret)."
            value={githubSecret}
            onChange={setGithubSecret}
            error={fieldError("githubSecret")}
          />
        </div>
        <div className="flex gap-3">
          <button type="button" onClick={() => preview.mutate()} disabled={preview.isPending || file.trim() === ""} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50">
            {preview.isPending ? "Reading the file and asking the cluster…" : "Map the file"}
          </button>
          <button
            type="button"
            onClick={() => create.mutate()}
            disabled={create.isPending || !p || p.outcome === null || p.needsInput.length > 0}
            className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white hover:bg-brand-700 disabled:opacity-50"
          >
            {create.isPending ? "Importing…" : p?.outcome === "READY" ? "Import as READY" : "Import and submit for review"}
          </button>
        </div>
        {preview.error ? <p role="alert" className="text-sm text-red-700">{preview.error.error}</p> : null}
        {create.error ? <p role="alert" className="text-sm text-red-700">{create.error.error}</p> : null}
      </section>

      {p ? (
        <section aria-label="What will be stored" className="space-y-4">
          <div className={`rounded-md border p-3 text-sm ${p.outcome ? "border-slate-200 bg-white" : "border-red-200 bg-red-50 text-red-800"}`} data-testid="import-outcome">
            <p className="font-medium">{p.live.message}</p>
            <p className="mt-1">{p.outcome ? OUTCOME[p.outcome] : p.live.state === "unknown" ? "Give the runner label and namespace." : "It cannot be imported now."}</p>
          </div>
          <p className="text-sm" data-testid="import-secret">
            {p.secret.kind === "named" ? (
              <>
                GitHub App: the existing Secret <span className="font-mono">{p.secret.name}</span> in the namespace; the portal neither writes nor deletes it.
              </>
            ) : p.secret.kind === "inline-app" ? (
              <>
                GitHub App {p.secret.appId}, installation {p.secret.installationId}, key <span className="font-mono text-xs">{p.secret.keyFingerprint}</span>, from the file
                {p.outcome === "READY" ? " (not kept: the running scale set's Secret stays)." : " (sealed; written to the cluster on approval)."}
              </>
            ) : (
              "GitHub App: none named yet."
            )}
          </p>
          {p.differencesFromLive.length > 0 ? (
            <div className="rounded-md border border-slate-200 bg-white p-3 text-sm">
              <p className="font-medium">Where the file differs from what runs (the live spec is kept):</p>
              <ul className="mt-1 list-disc pl-5">
                {p.differencesFromLive.map((d) => (
                  <li key={`${d.path}:${d.what}`}>
                    <code className="text-xs">{d.path}</code>: {d.what}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <ImportPreview preview={p} />
        </section>
      ) : null}
    </div>
  );
}
