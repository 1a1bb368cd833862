import { capacityAmount } from "./capacity-amount";
import { capacitySummary } from "@/lib/provision/capacity-summary";
import type { CapacityLine, CapacityReport, QuotaLine } from "@/lib/provision/types";

// The reviewer's capacity check: the request's worst case (every runner busy at once)
// beside the cluster's allocatable resources, what approved scale sets already claim, and
// the namespace's ResourceQuotas. One line at the top says what does not fit; the table shows where.

const LABEL: Record<string, string> = { cpu: "CPU cores", memory: "Memory", pods: "Pods" };

function Fits({ fits }: { fits: boolean | null }) {
  if (fits === null) return <span className="text-slate-400">unknown</span>;
  return fits ? <span className="text-emerald-700">fits</span> : <span className="font-semibold text-red-700">does not fit</span>;
}

function ResourceRow({ line, maxRunners }: { line: CapacityLine; maxRunners: number }) {
  const label = line.resource === "gpu" ? line.name : LABEL[line.resource];
  return (
    <tr data-testid={`capacity-${line.resource}`} className={line.fits === false ? "bg-red-50" : undefined}>
      <th scope="row" className="py-1.5 pr-3 text-left font-normal">
        {label}
      </th>
      <td className="tabular-nums">
        {maxRunners} × {capacityAmount(line.resource, line.perRunner)} = <strong>{capacityAmount(line.resource, line.worstCase)}</strong>
      </td>
      <td className="tabular-nums">{capacityAmount(line.resource, line.allocatable)}</td>
      <td className="tabular-nums">{capacityAmount(line.resource, line.claimed)}</td>
      <td className="tabular-nums">{capacityAmount(line.resource, line.free)}</td>
      <td>
        <Fits fits={line.fits} />
      </td>
    </tr>
  );
}

function QuotaRow({ q }: { q: QuotaLine }) {
  return (
    <tr className={q.fits ? undefined : "bg-red-50"}>
      <th scope="row" className="py-1.5 pr-3 text-left font-mono text-xs font-normal">
        {q.quota}: {q.key}
      </th>
      <td className="tabular-nums">{capacityAmount(q.resource, q.hard)}</td>
      <td className="tabular-nums">{capacityAmount(q.resource, q.used)}</td>
      <td className="tabular-nums">{capacityAmount(q.resource, q.claimedInNamespace)}</td>
      <td className="tabular-nums">{capacityAmount(q.resource, q.worstCase)}</td>
      <td>
        <Fits fits={q.fits} />
      </td>
    </tr>
  );
}

export function CapacityCheck({ report, clusterName }: { report: CapacityReport; clusterName?: string }) {
  const summary = capacitySummary(report);
  return (
    <section aria-label="Capacity" data-testid="capacity-check" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 className="font-medium">Capacity{clusterName ? ` on ${clusterName}` : ""}</h2>
      {summary ? (
        <p role="alert" data-testid="capacity-summary" className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 font-medium text-red-800">
          {summary} The rows in red below show where.
        </p>
      ) : report.fits ? (
        <p className="mt-2 text-emerald-700">Fits: even with every runner busy, the cluster and the namespace have room.</p>
      ) : null}
      {report.cluster.message ? <p className="mt-2 text-amber-800">{report.cluster.message}</p> : null}
      {report.teamCeilings ? (
        <ul data-testid="team-ceilings" aria-label="Team ceilings" className="mt-2 space-y-1">
          {report.teamCeilings.lines.map((l) => (
            <li key={l.resource} className={l.over ? "rounded-md border border-amber-300 bg-amber-50 px-2 py-1 font-medium text-amber-900" : "text-slate-600"}>
              {l.over ? "Over the team ceiling: " : ""}Team {report.teamCeilings!.team} would use {l.total} of {l.ceiling} {l.resource} on this cluster ({l.used} in its
              approved scale sets, {l.asked} in this request).
            </li>
          ))}
        </ul>
      ) : null}

      <table className="mt-3 w-full text-left">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="font-normal" />
            <th className="font-normal">Worst case</th>
            <th className="font-normal">Cluster allocatable{report.cluster.nodes ? ` (${report.cluster.nodes} nodes)` : ""}</th>
            <th className="font-normal">Claimed by approved</th>
            <th className="font-normal">Free</th>
            <th className="font-normal" />
          </tr>
        </thead>
        <tbody>
          {report.resources.map((line) => (
            <ResourceRow key={line.resource} line={line} maxRunners={report.maxRunners} />
          ))}
        </tbody>
      </table>

      <h3 className="mt-4 text-xs font-medium uppercase tracking-wide text-slate-500">Namespace {report.namespace.name}</h3>
      {report.namespace.exists === false ? (
        <p className="mt-1 text-slate-600">Does not exist yet.</p>
      ) : report.quotas.length === 0 ? (
        <p className="mt-1 text-slate-600">{report.namespace.exists ? "No ResourceQuota." : "Unknown."}</p>
      ) : (
        <table className="mt-1 w-full text-left">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="font-normal">ResourceQuota</th>
              <th className="font-normal">Hard</th>
              <th className="font-normal">Used</th>
              <th className="font-normal">Claimed here</th>
              <th className="font-normal">Worst case</th>
              <th className="font-normal" />
            </tr>
          </thead>
          <tbody>
            {report.quotas.map((q) => (
              <QuotaRow key={`${q.quota}/${q.key}`} q={q} />
            ))}
          </tbody>
        </table>
      )}

      {report.flags.length > 0 ? (
        <details data-testid="capacity-flags" className="mt-3">
          <summary className="cursor-pointer text-slate-600">What does not fit, in words ({report.flags.length})</summary>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-700">
            {report.flags.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {report.claims.length > 0 ? (
        <details className="mt-3">
          <summary className="cursor-pointer text-slate-600">Approved scale sets on this cluster ({report.claims.length})</summary>
          <ul className="mt-1 space-y-0.5 text-slate-600">
            {report.claims.map((c) => (
              <li key={c.id}>
                #{c.number} <span className="font-mono">{c.label}</span> in {c.namespace}: up to {c.maxRunners} × {c.gpus} GPUs ({c.status.toLowerCase()})
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
