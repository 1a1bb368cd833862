import "server-only";
import { seal } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict, issuesByField, notFoundError, unprocessable, type FieldErrors } from "@/lib/http-errors";
import { KubeConfigError } from "@/lib/kube/config";
import { kubeConfigFromText } from "@/lib/kube/inline-kubeconfig";
import { environmentSettings } from "./settings";
import { clusterRegistrationSchema, type ClusterRegistrationInput } from "./registration-schema";
import { connectionSummary, type ConnectionSummary } from "./connection-summary";

// Registering the clusters of the fleet. A kubeconfig is checked (an https server, inline
// credentials only, a current cluster), sealed, and never read back out to anyone; only the
// provisioning service opens it (lib/clusters/connection.ts).

export type ClusterRegistration = ClusterRegistrationInput;

/** The API server a kubeconfig points at, or the reason it cannot be used (lib/kube/inline-kubeconfig.ts). */
export function checkKubeconfig(text: string): { server: string } | { problem: string } {
  try {
    return { server: kubeConfigFromText(text).getCurrentCluster()!.server };
  } catch (err) {
    if (err instanceof KubeConfigError) return { problem: err.message };
    throw err;
  }
}

/** The registration, checked with the form's schema, then whether the kubeconfig loads. */
function validate(input: unknown): { data?: ClusterRegistration; errors: FieldErrors } {
  const parsed = clusterRegistrationSchema.safeParse(input);
  const errors: FieldErrors = parsed.success ? {} : issuesByField(parsed.error.issues);
  const kubeconfig = (input as { connection?: unknown; kubeconfig?: unknown } | null)?.kubeconfig;
  const connection = (input as { connection?: unknown } | null)?.connection;
  if (connection === "KUBECONFIG" && typeof kubeconfig === "string" && kubeconfig.trim() && !errors.kubeconfig) {
    const checked = checkKubeconfig(kubeconfig);
    if ("problem" in checked) errors.kubeconfig = [checked.problem];
  }
  return parsed.success && Object.keys(errors).length === 0 ? { data: parsed.data, errors } : { errors };
}

/**
 * Registers a cluster. Its settings start as a copy of the environment's, so that the admin
 * edits a concrete, audited value from then on.
 */
export async function registerCluster(actor: { id: string }, raw: ClusterRegistration | unknown) {
  const { data: input, errors } = validate(raw);
  if (!input) throw unprocessable("The cluster cannot be registered; see each field.", errors);
  const taken = () => conflict(`A cluster named "${input.name}" is already registered.`, { name: ["This name is taken"] });
  if (await db.cluster.findUnique({ where: { name: input.name }, select: { id: true } })) throw taken();
  const settings = environmentSettings() as unknown as Prisma.InputJsonValue;
  // Two admins registering one name at the same instant: the unique index decides (P2002).
  return db.$transaction(async (tx) => {
    const cluster = await tx.cluster.create({
      data: {
        name: input.name,
        displayName: input.displayName,
        connection: input.connection,
        kubeconfigCiphertext: input.connection === "KUBECONFIG" ? seal(input.kubeconfig!, env().ENCRYPTION_KEY) : null,
        settings,
      },
      select: { id: true, name: true, displayName: true, connection: true },
    });
    await tx.clusterSettingsEvent.create({ data: { clusterId: cluster.id, actorId: actor.id, after: settings } });
    return cluster;
  }).catch((err: unknown) => {
    throw (err as { code?: string })?.code === "P2002" ? taken() : err;
  });
}

/** The clusters for lists and pickers; never the kubeconfig. */
export async function listClusters() {
  return db.cluster.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, displayName: true, connection: true, settingsVersion: true, createdAt: true },
  });
}

const CONNECTION_ROW = { name: true, connection: true, kubeconfigCiphertext: true } as const;

/** Statuses whose scale set is (or is being put) on the cluster. */
const ON_CLUSTER = ["APPROVED", "PROVISIONING", "READY", "FAILED"] as const;

export type ClusterOverview = {
  id: string;
  name: string;
  displayName: string;
  settingsVersion: number;
  createdAt: Date;
  summary: ConnectionSummary;
  scaleSets: number;
  lastChange: { at: Date; by: string | null } | null;
};

/** The admin list: each cluster with its connection summary, scale sets on it and its last settings change. */
export async function clusterOverview(): Promise<ClusterOverview[]> {
  const rows = await db.cluster.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      displayName: true,
      settingsVersion: true,
      createdAt: true,
      ...CONNECTION_ROW,
      _count: { select: { requests: { where: { status: { in: [...ON_CLUSTER] } } } } },
      settingsEvents: { orderBy: { createdAt: "desc" }, take: 1, select: { createdAt: true, actor: { select: { login: true } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    displayName: r.displayName,
    settingsVersion: r.settingsVersion,
    createdAt: r.createdAt,
    summary: connectionSummary(r),
    scaleSets: r._count.requests,
    lastChange: r.settingsEvents[0] ? { at: r.settingsEvents[0].createdAt, by: r.settingsEvents[0].actor?.login ?? null } : null,
  }));
}

/** One cluster for its admin page, or 404. The stored settings are null while the environment's apply. */
export async function clusterForAdmin(id: string) {
  const row = await db.cluster.findUnique({
    where: { id },
    select: { id: true, displayName: true, settings: true, settingsVersion: true, createdAt: true, ...CONNECTION_ROW },
  });
  if (!row) throw notFoundError("That cluster is not registered.");
  const { kubeconfigCiphertext: _sealed, ...rest } = row;
  return { ...rest, summary: connectionSummary(row) };
}

