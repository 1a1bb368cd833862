import type { TeamCeilingLine } from "@/lib/requests/team-ceilings";
// Shapes the status and capacity routes return; shared with the client components, so no
// server-only imports here.

/**
 * off: the portal has no cluster connection. not-provisioned: nothing approved is meant to
 * run yet (or any more). unreachable: the API server did not answer. missing: the
 * AutoscalingRunnerSet should exist and does not. live: it exists; `runners` is filled.
 */
export type LiveState = "off" | "not-provisioned" | "unreachable" | "missing" | "live";

export interface RunnerCounts {
  /** The controller's phase (Pending, Running, Outdated); null until it has written status. */
  phase: string | null;
  current: number;
  pending: number;
  running: number;
  failed: number;
  minRunners: number;
  maxRunners: number;
}

export interface DriftDifference {
  /** Where in the AutoscalingRunnerSet, e.g. "spec.maxRunners". */
  path: string;
  approved: unknown;
  live: unknown;
}

export interface Drift {
  /** The AutoscalingRunnerSet is gone. */
  missing: boolean;
  differences: DriftDifference[];
  /** Field managers other than the portal that have written its spec (e.g. "kubectl-edit"). */
  editedBy: string[];
}

export interface RunnerStatusReport {
  state: LiveState;
  /** One sentence for the page. */
  message: string;
  requestStatus: string;
  runners: RunnerCounts | null;
  /** Null when there is nothing approved to compare against yet. */
  drift: Drift | null;
  /** The person asking is a reviewer and the request can be re-applied now. */
  reapplyAvailable: boolean;
  checkedAt: string;
}

export type CapacityResource = "gpu" | "cpu" | "memory";

export interface CapacityLine {
  resource: CapacityResource;
  /** The Kubernetes resource name: the cluster's GPU resource (amd.com/gpu), cpu, memory. */
  name: string;
  /** GPUs, cores, or bytes. */
  perRunner: number;
  /** perRunner × maxRunners: every runner busy at once. */
  worstCase: number;
  /** Sum of node allocatable (GPU-placement nodes only for GPUs); null without a cluster answer. */
  allocatable: number | null;
  /** The most one node offers: a runner's pod cannot span nodes. */
  largestNode: number | null;
  /** Worst case of the other approved scale sets on this cluster. */
  claimed: number;
  /** allocatable − claimed. */
  free: number | null;
  fits: boolean | null;
}

export interface QuotaLine {
  quota: string;
  /** The quota's key, e.g. requests.amd.com/gpu. */
  key: string;
  resource: CapacityResource | "pods";
  hard: number;
  used: number;
  /** Worst case of the other approved scale sets in this namespace. */
  claimedInNamespace: number;
  worstCase: number;
  fits: boolean;
}

export interface CapacityClaim {
  id: string;
  number: number;
  label: string;
  namespace: string;
  status: string;
  maxRunners: number;
  gpus: number;
}

export interface CapacityReport {
  maxRunners: number;
  cluster: { state: "live" | "off" | "unreachable"; message: string | null; nodes: number };
  resources: CapacityLine[];
  /** creatable: whether provisioning may create the namespace on this cluster. */
  namespace: { name: string; exists: boolean | null; creatable: boolean };
  quotas: QuotaLine[];
  claims: CapacityClaim[];
  /** Sentences saying what cannot fit; empty when everything fits. */
  flags: string[];
  /** false if anything cannot fit; null when the cluster could not be asked. */
  fits: boolean | null;
  /** The cluster's per-team ceilings with this request counted (lib/requests/team-ceilings.ts); empty when it sets none. */
  teamCeilings?: { team: string; lines: TeamCeilingLine[] };
  /** On the reviewer's comparison only: why an approval onto this cluster would be refused; empty when it would not. */
  notEligible?: string[];
  checkedAt: string;
}
