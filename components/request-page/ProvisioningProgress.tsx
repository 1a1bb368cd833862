import type { RequestView } from "./api";

const STEPS = ["Namespace", "GitHub App Secret", "RBAC for the controller", "AutoscalingRunnerSet"];

/** While the worker runs: which of the four steps are done in the current attempt. */
export function ProvisioningProgress({ view }: { view: RequestView }) {
  if (!["APPROVED", "PROVISIONING"].includes(view.status)) return null;
  const start = view.events.map((e) => e.type).lastIndexOf("start_provisioning");
  const attempt = start >= 0 ? view.events.slice(start + 1) : [];
  const done = Math.min(STEPS.length, attempt.filter((e) => e.type === "provision_step" || e.type === "decommission_step").length);
  const retrying = attempt.filter((e) => e.type === "provision_retry").at(-1);
  const decommission = view.reviewKind === "DECOMMISSION";
  return (
    <section aria-label="Provisioning progress" className="rounded-lg border border-indigo-200 bg-indigo-50 p-4">
      <h2 className="font-medium text-indigo-900">{view.status === "APPROVED" ? "Waiting for the provisioning worker…" : decommission ? "Removing the scale set…" : "Provisioning…"}</h2>
      {decommission ? null : (
        <ol className="mt-2 space-y-1 text-sm">
          {STEPS.map((s, i) => (
            <li key={s} className={i < done ? "text-emerald-800" : i === done ? "font-medium text-indigo-900" : "text-slate-500"}>
              {i < done ? "✓" : i === done ? "…" : "·"} {s}
            </li>
          ))}
        </ol>
      )}
      <div className="mt-2 h-1.5 w-full overflow-hidden rounded bg-indigo-100" role="progressbar" aria-valuemin={0} aria-valuemax={STEPS.length} aria-valuenow={done}>
        <div className="h-full bg-indigo-600 transition-all" style={{ width: `${(done / STEPS.length) * 100}%` }} />
      </div>
      {retrying ? <p className="mt-2 text-sm text-amber-800">{retrying.message}</p> : null}
    </section>
  );
}
