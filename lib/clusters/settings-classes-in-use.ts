import "server-only";
import type { ClusterSettings } from "@/lib/arc/settings";
import { db } from "@/lib/db";
import { unprocessable } from "@/lib/http-errors";

// A GPU class that requests on the cluster name cannot be removed or renamed: their scale sets
// would be re-applied onto the default class's nodes without anyone deciding it.

type ClassSpec = { gpuClass?: string } | null;

/** The requests under review or live on the cluster whose answers name a class the new settings lack. */
async function requestsOnMissingClasses(clusterId: string, next: Pick<ClusterSettings, "gpuClasses">) {
  const names = new Set(next.gpuClasses.map((c) => c.name));
  const rows = await db.runnerRequest.findMany({
    where: { clusterId, status: { notIn: ["DRAFT", "REJECTED", "DECOMMISSIONED"] } },
    select: { number: true, label: true, spec: true, approvedSpec: true },
    orderBy: { number: "asc" },
  });
  const out: { number: number; label: string; gpuClass: string }[] = [];
  for (const r of rows) {
    const used = new Set([(r.spec as ClassSpec)?.gpuClass, (r.approvedSpec as ClassSpec)?.gpuClass]);
    for (const gpuClass of used) if (gpuClass && !names.has(gpuClass)) out.push({ number: r.number, label: r.label, gpuClass });
  }
  return out;
}

/** 422 naming each class still in use and its requests; nothing is saved. */
export async function refuseRemovingClassesInUse(clusterId: string, next: Pick<ClusterSettings, "gpuClasses">): Promise<void> {
  const missing = await requestsOnMissingClasses(clusterId, next);
  if (missing.length === 0) return;
  const byClass = new Map<string, string[]>();
  for (const m of missing) byClass.set(m.gpuClass, [...(byClass.get(m.gpuClass) ?? []), `#${m.number} ${m.label}`]);
  const messages = [...byClass].map(([c, requests]) => `GPU class "${c}" is used by request${requests.length === 1 ? "" : "s"} ${requests.join(", ")}; keep it until they move to another class`);
  throw unprocessable("A GPU class that requests use cannot be removed or renamed.", { gpuClasses: messages });
}
