import type { CapacityReport } from "./types";

// One line for what does not fit, from the capacity report's own table: the reviewer's
// panel shows it above the table, and an approval made anyway records it on the timeline.

const RESOURCE_WORD: Record<string, string> = { gpu: "GPUs", cpu: "CPU cores", memory: "memory" };

/** The short names of what does not fit (empty when everything fits or nothing is known). */
export function capacityShortfalls(report: CapacityReport): string[] {
  if (report.cluster.state !== "live" || report.fits !== false) return [];
  if (report.cluster.nodes === 0) return ["the cluster lists no nodes, so no runner could start"];
  const out: string[] = [];
  for (const line of report.resources) {
    if (line.fits !== false) continue;
    const perNode = line.largestNode !== null && line.perRunner > line.largestNode;
    out.push(`${RESOURCE_WORD[line.resource] ?? line.name}${perNode ? " (one runner is bigger than any node)" : ""}`);
  }
  for (const q of report.quotas) if (!q.fits) out.push(`quota ${q.quota} ${q.key}`);
  if (report.namespace.exists === false && report.namespace.creatable === false) out.push(`namespace ${report.namespace.name} is missing and may not be created`);
  return out;
}

/** "Does not fit on X: GPUs, memory." or null when it fits or the cluster could not be asked. */
export function capacitySummary(report: CapacityReport, where?: string): string | null {
  const short = capacityShortfalls(report);
  return short.length ? `Does not fit${where ? ` on ${where}` : ""}: ${short.join(", ")}.` : null;
}
