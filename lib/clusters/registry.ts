import "server-only";
import { KubeConfig } from "@kubernetes/client-node";
import { RFC1123_LABEL } from "@/lib/arc/kube-names";
import { seal } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict, unprocessable, type FieldErrors } from "@/lib/http-errors";
import { environmentSettings } from "./cluster-settings";

// Registering the clusters of the fleet. A kubeconfig is checked (it must load and name a
// current cluster), sealed, and never read back out to anyone; only the provisioning
// service opens it (lib/clusters/connection.ts).

export type ClusterRegistration = {
  name: string;
  displayName: string;
  connection: "IN_CLUSTER" | "KUBECONFIG";
  /** The kubeconfig's YAML, for connection KUBECONFIG. */
  kubeconfig?: string;
};

/** The API server a kubeconfig points at, or the reason it cannot be used. */
export function checkKubeconfig(text: string): { server: string } | { problem: string } {
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (err) {
    return { problem: `The kubeconfig cannot be read: ${(err as Error).message}` };
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) return { problem: "The kubeconfig has no current-context with a cluster; set current-context." };
  if (!kc.getCurrentUser()) return { problem: "The kubeconfig's current context names no user to sign in as." };
  return { server: cluster.server };
}

function validate(input: ClusterRegistration): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  if (input.name.length > 63 || !RFC1123_LABEL.test(input.name)) {
    add("name", "Name must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit");
  }
  if (input.displayName.trim().length === 0) add("displayName", "Display name is required");
  if (input.displayName.length > 100) add("displayName", "Display name must be at most 100 characters");
  if (input.connection === "KUBECONFIG") {
    if (!input.kubeconfig?.trim()) add("kubeconfig", "Paste the kubeconfig the portal should use for this cluster");
    else {
      const checked = checkKubeconfig(input.kubeconfig);
      if ("problem" in checked) add("kubeconfig", checked.problem);
    }
  }
  return errors;
}

/**
 * Registers a cluster. Its settings start as a copy of the environment's, so that the admin
 * edits a concrete, audited value from then on.
 */
export async function registerCluster(actor: { id: string }, input: ClusterRegistration) {
  const errors = validate(input);
  if (Object.keys(errors).length > 0) throw unprocessable("The cluster cannot be registered; see each field.", errors);
  if (await db.cluster.findUnique({ where: { name: input.name }, select: { id: true } })) {
    throw conflict(`A cluster named "${input.name}" is already registered.`, { name: ["This name is taken"] });
  }
  const settings = environmentSettings() as unknown as Prisma.InputJsonValue;
  return db.$transaction(async (tx) => {
    const cluster = await tx.cluster.create({
      data: {
        name: input.name,
        displayName: input.displayName.trim(),
        connection: input.connection,
        kubeconfigCiphertext: input.connection === "KUBECONFIG" ? seal(input.kubeconfig!, env().ENCRYPTION_KEY) : null,
        settings,
      },
      select: { id: true, name: true, displayName: true, connection: true },
    });
    await tx.clusterSettingsEvent.create({ data: { clusterId: cluster.id, actorId: actor.id, after: settings } });
    return cluster;
  });
}

/** The clusters for lists and pickers; never the kubeconfig. */
export async function listClusters() {
  return db.cluster.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, displayName: true, connection: true, settingsVersion: true, createdAt: true },
  });
}
