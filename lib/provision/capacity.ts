import "server-only";
import type { V1Node, V1ResourceQuota } from "@kubernetes/client-node";
import { cpuMillicores, gpuClassFor, memoryBytes } from "@/lib/arc";
import type { ClusterSettings } from "@/lib/arc/settings";
import { registeredSettings, settingsOf } from "@/lib/clusters/cluster-settings";
import { kubeForCluster, type ClusterConnectionRow } from "@/lib/clusters/connection";
import { limitsOn } from "@/lib/clusters/settings";
import { appliedSettingsOf } from "@/lib/clusters/request-settings";
import { db } from "@/lib/db";
import { withinTime } from "@/lib/deadline";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Kube } from "@/lib/kube/client";
import { KubeConfigError } from "@/lib/kube/config";
import { describeKubeError, isNotFound } from "@/lib/kube/errors";
import { parseQuantity } from "@/lib/kube/quantity";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import { fitOnCluster } from "@/lib/requests/cluster-fit";
import { approvedOnCluster, describeTeamCeiling, teamCeilingLines, teamUsageOnCluster } from "@/lib/requests/team-ceilings";
import { provisioningOffNotice } from "./notices";
import type { CapacityClaim, CapacityLine, CapacityReport, CapacityResource, QuotaLine } from "./types";

// Whether a request fits, for the reviewer, before approval: its worst case (every runner
// busy at once) beside what the cluster's nodes offer, what the scale sets already
// approved on the cluster could take, and the namespace's ResourceQuotas. A request that
// does not fit is flagged, never hidden or refused here: the reviewer decides.

type Sizes = { gpus: number; cpu: number; memory: number };

function perRunner(spec: Pick<StoredSpec, "gpus" | "cpu" | "memory">): Sizes {
  return {
    gpus: spec.gpus ?? 0,
    cpu: (cpuMillicores(String(spec.cpu)) ?? 0) / 1000,
    memory: memoryBytes(String(spec.memory)) ?? 0,
  };
}

/** Scale sets on the cluster that are approved, live, or being changed or removed: each may run up to its maximum. */
async function claimsOnCluster(clusterId: string, exceptId: string): Promise<(CapacityClaim & { sizes: Sizes })[]> {
  const rows = await db.runnerRequest.findMany({
    where: approvedOnCluster(clusterId, exceptId),
    select: { id: true, number: true, label: true, namespace: true, status: true, approvedSpec: true },
    orderBy: { number: "asc" },
  });
  return rows
    .filter((r) => r.approvedSpec && typeof r.approvedSpec === "object")
    .map((r) => {
      const spec = r.approvedSpec as unknown as StoredSpec;
      return {
        id: r.id,
        number: r.number,
        label: spec.label ?? r.label,
        namespace: spec.namespace ?? r.namespace,
        status: r.status,
        maxRunners: spec.maxRunners ?? 0,
        gpus: spec.gpus ?? 0,
        sizes: perRunner(spec),
      };
    });
}

const RESOURCES: { resource: CapacityResource; size: keyof Sizes }[] = [
  { resource: "gpu", size: "gpus" },
  { resource: "cpu", size: "cpu" },
  { resource: "memory", size: "memory" },
];

function matchesSelector(node: V1Node, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => node.metadata?.labels?.[k] === v);
}

/** ResourceQuota keys that limit what runner pods use, by resource. Requests equal limits in runner pods. */
function quotaKeys(gpuName: string): { key: string; resource: CapacityResource | "pods" }[] {
  return [
    { key: `requests.${gpuName}`, resource: "gpu" },
    { key: "requests.cpu", resource: "cpu" },
    { key: "limits.cpu", resource: "cpu" },
    { key: "cpu", resource: "cpu" },
    { key: "requests.memory", resource: "memory" },
    { key: "limits.memory", resource: "memory" },
    { key: "memory", resource: "memory" },
    { key: "pods", resource: "pods" },
  ];
}

export function formatAmount(resource: CapacityResource | "pods", amount: number, gpuName: string): string {
  if (resource === "memory") return `${Math.round((amount / 2 ** 30) * 10) / 10}Gi memory`;
  if (resource === "cpu") return `${Math.round(amount * 1000) / 1000} CPU cores`;
  if (resource === "pods") return `${amount} pods`;
  return `${amount} ${gpuName}`;
}

type CapacityInput = {
  id: string;
  clusterId: string;
  namespace: string;
  spec: StoredSpec;
  appliedSettings?: unknown;
  /** The request's team, for the cluster's per-team ceilings. */
  teamId?: string;
  team?: { name: string };
};

/** How long the reviewer's page waits for one cluster before calling it unreachable. */
const CLUSTER_ANSWER_MS = 6_000;

/** What a capacity check reads of the cluster, in one query: its settings and its connection. */
type CapacityCluster = ClusterConnectionRow & { settings: Prisma.JsonValue | null };

function readCluster(id: string): Promise<CapacityCluster | null> {
  return db.cluster.findUnique({ where: { id }, select: { name: true, settings: true, connection: true, kubeconfigCiphertext: true } });
}

/** How long a cluster's nodes (their allocatable) are reused: reviewers open several pages, and nodes rarely change. */
export const NODE_CACHE_MS = 30_000;
const nodeCache = new Map<string, { at: number; nodes: Promise<V1Node[]> }>();

/** The cluster's nodes, from one list call per cluster every NODE_CACHE_MS; a failed call is not kept. */
function nodesOf(clusterId: string, k: Kube): Promise<V1Node[]> {
  const key = `${clusterId} ${k.server}`;
  const hit = nodeCache.get(key);
  if (hit && Date.now() - hit.at < NODE_CACHE_MS) return hit.nodes;
  const nodes = k.core.listNode().then((l) => l.items);
  nodeCache.set(key, { at: Date.now(), nodes });
  nodes.catch(() => {
    if (nodeCache.get(key)?.nodes === nodes) nodeCache.delete(key);
  });
  return nodes;
}

type CapacityOptions = {
  kube?: Kube | null;
  timeoutMs?: number;
  /** The cluster row when the caller has read it (null: not registered); else it is read when needed. */
  cluster?: CapacityCluster | null;
};

/**
 * The capacity check of a request as if it ran on another candidate cluster: that cluster's
 * settings, claims, nodes and quotas. The reviewer compares them before choosing where it runs.
 */
export async function capacityOnCluster(request: CapacityInput, clusterId: string, opts: Omit<CapacityOptions, "cluster"> = {}): Promise<CapacityReport> {
  const same = clusterId === request.clusterId;
  // One read of the cluster serves its settings, its connection and the approval checks.
  const row = await readCluster(clusterId);
  const report = await capacityCheck({ ...request, clusterId, appliedSettings: same ? request.appliedSettings : null }, { ...opts, cluster: row });
  return { ...report, notEligible: approvalProblems(request, row, report) };
}

/** What would refuse an approval onto the cluster (lib/requests/actions.ts checks the same): the reviewer sees it before choosing. */
function approvalProblems(request: CapacityInput, row: CapacityCluster | null, report: CapacityReport): string[] {
  if (!row) return ["The cluster is not registered."];
  let settings: ClusterSettings;
  try {
    settings = settingsOf(row);
  } catch {
    return ["Its stored settings are not valid; an admin must fix them first."];
  }
  const fit = fitOnCluster(request.spec, limitsOn(settings), "this cluster");
  const over = (report.teamCeilings?.lines ?? []).filter((l) => l.over).map((l) => describeTeamCeiling(report.teamCeilings!.team, "this cluster", l));
  return [...(fit.ok ? [] : fit.problems.map((p) => `${p}.`)), ...over];
}

export async function capacityCheck(request: CapacityInput, opts: CapacityOptions = {}): Promise<CapacityReport> {
  let row = opts.cluster;
  const clusterRow = async () => (row !== undefined ? row : (row = await readCluster(request.clusterId)));
  const settings = appliedSettingsOf(request) ?? registeredSettings(await clusterRow());
  const gpuName = settings.gpuResourceName;
  const spec = request.spec;
  const maxRunners = spec.maxRunners ?? 0;
  const sizes = perRunner(spec);
  const namespace = spec.namespace ?? request.namespace;
  const claimRows = await claimsOnCluster(request.clusterId, request.id);
  const claims: CapacityClaim[] = claimRows.map(({ sizes: _sizes, ...c }) => c);
  const claimed = (size: keyof Sizes, inNamespace?: string) =>
    claimRows.filter((c) => !inNamespace || c.namespace === inNamespace).reduce((sum, c) => sum + c.maxRunners * c.sizes[size], 0);

  let kube: Kube | null;
  let offMessage: string | null = null;
  try {
    if (opts.kube !== undefined) kube = opts.kube;
    else {
      const r = await clusterRow();
      kube = r ? kubeForCluster(r, { requestTimeoutMs: CLUSTER_ANSWER_MS }) : null;
    }
  } catch (err) {
    if (!(err instanceof KubeConfigError)) throw err;
    kube = null;
    offMessage = `Provisioning is off: ${err.message}`;
  }

  let nodes: V1Node[] | null = null;
  let quotas: V1ResourceQuota[] = [];
  let namespaceExists: boolean | null = null;
  let cluster: CapacityReport["cluster"] = { state: "off", message: offMessage ?? provisioningOffNotice(), nodes: 0 };
  if (kube) {
    const k = kube;
    try {
      // One deadline for the three calls, made at once: a cluster that hangs must not hold the reviewer's page.
      const ms = opts.timeoutMs ?? CLUSTER_ANSWER_MS;
      const answer = await withinTime(
        Promise.all([
          nodesOf(request.clusterId, k),
          k.core.readNamespace({ name: namespace }).then(
            () => true,
            (err) => {
              if (isNotFound(err)) return false;
              throw err;
            },
          ),
          // Listing in a namespace that does not exist is an empty list, not an error.
          k.core.listNamespacedResourceQuota({ namespace }).then((l) => l.items),
        ]).then(([listed, exists, quotas]) => ({ listed, exists, quotas: exists ? quotas : [] })),
        ms,
        () => new Error(`${k.server} did not answer within ${ms / 1000} s`),
      );
      nodes = answer.listed;
      namespaceExists = answer.exists;
      quotas = answer.quotas;
      cluster = { state: "live", message: null, nodes: nodes.length };
    } catch (err) {
      nodes = null;
      namespaceExists = null;
      quotas = [];
      cluster = { state: "unreachable", message: `The cluster could not be asked: ${describeKubeError(err, k.server).message}.`, nodes: 0 };
    }
  }

  // Runners with GPUs go only to the GPU placement's nodes; cordoned nodes take no pods.
  const eligible = (nodes ?? []).filter(
    (n) => !n.spec?.unschedulable && (sizes.gpus === 0 || matchesSelector(n, gpuClassFor(settings, spec.gpuClass).nodeSelector)),
  );
  const allocatable = (node: V1Node, resource: CapacityResource) =>
    parseQuantity(node.status?.allocatable?.[resource === "gpu" ? gpuName : resource]) ?? 0;

  const flags: string[] = [];
  const resources: CapacityLine[] = RESOURCES.map(({ resource, size }) => {
    const worstCase = maxRunners * sizes[size];
    const others = claimed(size);
    const total = nodes ? eligible.reduce((sum, n) => sum + allocatable(n, resource), 0) : null;
    const largestNode = nodes ? eligible.reduce((max, n) => Math.max(max, allocatable(n, resource)), 0) : null;
    const free = total === null ? null : total - others;
    const fitsTotal = free === null ? null : worstCase <= free;
    const fitsNode = largestNode === null || sizes[size] === 0 ? true : sizes[size] <= largestNode;
    const fits = fitsTotal === null ? null : fitsTotal && fitsNode;
    const amount = (n: number) => formatAmount(resource, n, gpuName);
    if (fitsTotal === false) {
      flags.push(
        `Needs up to ${amount(worstCase)} (${maxRunners} runner${maxRunners === 1 ? "" : "s"} × ${amount(sizes[size])}); the cluster has ${amount(total!)} allocatable, and approved scale sets already claim ${amount(others)}, leaving ${amount(Math.max(0, free!))}.`,
      );
    }
    if (!fitsNode) {
      flags.push(`Each runner needs ${amount(sizes[size])}, but the largest node offers ${amount(largestNode!)}: a runner's pod cannot span nodes, so it would never start.`);
    }
    return { resource, name: resource === "gpu" ? gpuName : resource, perRunner: sizes[size], worstCase, allocatable: total, largestNode, claimed: others, free, fits };
  });

  const quotaLines: QuotaLine[] = [];
  for (const quota of quotas) {
    for (const { key, resource } of quotaKeys(gpuName)) {
      const hard = parseQuantity(quota.status?.hard?.[key] ?? quota.spec?.hard?.[key]);
      if (hard === undefined) continue;
      const used = parseQuantity(quota.status?.used?.[key]) ?? 0;
      const worstCase = resource === "pods" ? maxRunners : maxRunners * sizes[RESOURCES.find((r) => r.resource === resource)!.size];
      const claimedInNamespace =
        resource === "pods"
          ? claimRows.filter((c) => c.namespace === namespace).reduce((sum, c) => sum + c.maxRunners, 0)
          : claimed(RESOURCES.find((r) => r.resource === resource)!.size, namespace);
      const fits = worstCase <= hard - used && worstCase + claimedInNamespace <= hard;
      const name = quota.metadata?.name ?? "quota";
      if (!fits) {
        const amount = (n: number) => formatAmount(resource, n, gpuName);
        flags.push(
          `ResourceQuota ${name} in ${namespace} allows ${key} ${amount(hard)} (${amount(used)} in use; other approved scale sets here may take ${amount(claimedInNamespace)}); this scale set needs up to ${amount(worstCase)}.`,
        );
      }
      quotaLines.push({ quota: name, key, resource, hard, used, claimedInNamespace, worstCase, fits });
    }
  }

  if (namespaceExists === false && !settings.allowCreateNamespace) {
    flags.push(`Namespace ${namespace} does not exist, and the portal may not create namespaces on this cluster: provisioning would fail until an administrator creates it.`);
  }

  const teamCeilings =
    request.teamId && request.team
      ? {
          team: request.team.name,
          lines: teamCeilingLines(settings, await teamUsageOnCluster(request.teamId, request.clusterId, request.id), { maxRunners, gpus: sizes.gpus }),
        }
      : undefined;
  return {
    maxRunners,
    cluster,
    resources,
    namespace: { name: namespace, exists: namespaceExists, creatable: settings.allowCreateNamespace },
    quotas: quotaLines,
    claims,
    flags,
    fits: cluster.state === "live" ? flags.length === 0 : null,
    ...(teamCeilings && teamCeilings.lines.length > 0 ? { teamCeilings } : {}),
    checkedAt: new Date().toISOString(),
  };
}
