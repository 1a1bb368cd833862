"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ChangeEvent } from "react";
import { Field, inputClass } from "@/components/request-form/Field";
import { callApi, type ApiError } from "@/components/request-page/api";
import { clusterRegistrationSchema } from "@/lib/clusters/registration-schema";
import { issuesByField } from "@/lib/http-errors";

type Form = { name: string; displayName: string; connection: "IN_CLUSTER" | "KUBECONFIG"; kubeconfig: string };

/** Register a cluster: checked as the admin types with the server's schema; the kubeconfig is parsed by the server. */
export function ClusterRegistrationForm() {
  const router = useRouter();
  const [form, setForm] = useState<Form>({ name: "", displayName: "", connection: "KUBECONFIG", kubeconfig: "" });
  const [touched, setTouched] = useState<Set<keyof Form>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [server, setServer] = useState<ApiError | null>(null);

  const input = { ...form, kubeconfig: form.connection === "KUBECONFIG" ? form.kubeconfig : undefined };
  const parsed = clusterRegistrationSchema.safeParse(input);
  const local = parsed.success ? {} : issuesByField(parsed.error.issues);
  const error = (f: keyof Form) => (showAll || touched.has(f) ? local[f]?.[0] : undefined) ?? server?.fieldErrors?.[f]?.[0];

  const mutation = useMutation({
    mutationFn: () => callApi<{ id: string }>("/api/admin/clusters", { method: "POST", json: input }),
    onSuccess: ({ id }) => {
      router.push(`/admin/clusters/${id}?registered=1`);
      router.refresh();
    },
    onError: (e: ApiError) => setServer(e),
  });

  const set = (f: keyof Form) => (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    setForm((s) => ({ ...s, [f]: e.target.value }));
    setServer(null);
  };
  const blur = (f: keyof Form) => () => setTouched((t) => new Set(t).add(f));

  async function upload(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    const text = await file.text();
    setForm((s) => ({ ...s, kubeconfig: text }));
    setTouched((t) => new Set(t).add("kubeconfig"));
    setServer(null);
  }

  return (
    <form
      noValidate
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        setShowAll(true);
        if (parsed.success) mutation.mutate();
      }}
    >
      <Field id="name" label="Name" help="Lowercase letters, digits and '-'; how requests and logs refer to the cluster, e.g. mi300-sc." error={error("name")}>
        {(p) => <input {...p} className={inputClass} value={form.name} onChange={set("name")} onBlur={blur("name")} autoComplete="off" />}
      </Field>
      <Field id="displayName" label="Description" help="What people see, e.g. “MI300X cluster, Santa Clara”." error={error("displayName")}>
        {(p) => <input {...p} className={inputClass} value={form.displayName} onChange={set("displayName")} onBlur={blur("displayName")} />}
      </Field>
      <fieldset>
        <legend className="block text-sm font-medium text-slate-800">Connection</legend>
        <div className="mt-2 space-y-2 text-sm">
          <label className="flex items-start gap-2">
            <input
              type="radio"
              name="connection"
              value="KUBECONFIG"
              checked={form.connection === "KUBECONFIG"}
              onChange={() => setForm((s) => ({ ...s, connection: "KUBECONFIG" }))}
            />
            <span>
              Kubeconfig
              <span className="block text-xs text-slate-500">For a cluster other than the one the portal runs in. Stored encrypted; never shown again.</span>
            </span>
          </label>
          <label className="flex items-start gap-2">
            <input
              type="radio"
              name="connection"
              value="IN_CLUSTER"
              checked={form.connection === "IN_CLUSTER"}
              onChange={() => setForm((s) => ({ ...s, connection: "IN_CLUSTER" }))}
            />
            <span>
              In-cluster
              <span className="block text-xs text-slate-500">The cluster the portal itself runs in, through its pod&apos;s service account.</span>
            </span>
          </label>
        </div>
      </fieldset>
      {form.connection === "KUBECONFIG" ? (
        <div className="space-y-2">
          <Field
            id="kubeconfig"
            label="Kubeconfig"
            help="Paste the YAML, or choose the file below. Its current-context decides the API server and the user; use a service account token with the rights the portal needs."
            error={error("kubeconfig")}
          >
            {(p) => (
              <textarea
                {...p}
                rows={10}
                spellCheck={false}
                autoComplete="off"
                className={`${inputClass} font-mono text-xs`}
                value={form.kubeconfig}
                onChange={set("kubeconfig")}
                onBlur={blur("kubeconfig")}
              />
            )}
          </Field>
          <label className="block text-sm text-slate-700">
            Kubeconfig file
            <input type="file" className="ml-2 text-sm" onChange={upload} />
          </label>
        </div>
      ) : null}
      {server && !server.fieldErrors ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {server.error}
        </p>
      ) : server ? (
        <p role="alert" className="text-sm text-red-800">
          {server.error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={mutation.isPending}
        className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
      >
        {mutation.isPending ? "Registering…" : "Register cluster"}
      </button>
    </form>
  );
}
