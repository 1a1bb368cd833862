import "server-only";
import { createHash } from "node:crypto";
import type { KubeConfig } from "@kubernetes/client-node";
import { open } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import type { ClusterConnection } from "@/lib/generated/prisma/enums";
import { firstLine } from "@/lib/first-line";
import { kubeConfigForCluster, storedKubeConfig, type ClusterConnectionRow } from "./connection";

// What an admin may see of a cluster's connection: its kind, the API server's host and, for a
// stored kubeconfig, a fingerprint to tell two uploads apart. Never the kubeconfig itself.

export type ConnectionSummary = {
  connection: ClusterConnection;
  /** "mi300.example.internal:6443"; null when it cannot be known here (in-cluster outside a pod). */
  serverHost: string | null;
  /** SHA-256 of the stored kubeconfig, shortened; only for connection KUBECONFIG. */
  fingerprint: string | null;
  /** Why the connection cannot be used, in words. */
  problem: string | null;
};

export type ConnectionRow = ClusterConnectionRow;

/** "SHA256:ab12…" of a kubeconfig's text; the same upload gives the same fingerprint. */
function kubeconfigFingerprint(text: string): string {
  const hex = createHash("sha256").update(text.replace(/\r\n/g, "\n").trim()).digest("hex");
  return `SHA256:${hex.slice(0, 16).match(/../g)!.join(":")}`;
}

/** host[:port] of an API server URL, or the text as given when it is not a URL. */
function serverHostOf(server: string): string {
  try {
    return new URL(server).host || server;
  } catch {
    return server;
  }
}

/** The KubeConfig a row connects with; throws with a reason. Server-side only: it holds credentials. */
export function kubeConfigOf(row: ConnectionRow): KubeConfig {
  const kc = kubeConfigForCluster(row);
  if (!kc) throw new Error("The portal has no cluster connection configured (KUBECONFIG unset, not running in a pod).");
  return kc;
}

export function connectionSummary(row: ConnectionRow): ConnectionSummary {
  let fingerprint: string | null = null;
  // Opened once, for both the fingerprint and the server.
  let opened: string | null = null;
  if (row.connection === "KUBECONFIG" && row.kubeconfigCiphertext) {
    try {
      opened = open(row.kubeconfigCiphertext, env().ENCRYPTION_KEY);
      fingerprint = kubeconfigFingerprint(opened);
    } catch {
      return { connection: row.connection, serverHost: null, fingerprint: null, problem: "The stored kubeconfig cannot be opened with the current ENCRYPTION_KEY." };
    }
  }
  try {
    const text = opened;
    const kc = text === null ? kubeConfigOf(row) : storedKubeConfig(row.name, () => text);
    const server = kc.getCurrentCluster()?.server;
    return { connection: row.connection, serverHost: server ? serverHostOf(server) : null, fingerprint, problem: null };
  } catch (err) {
    return { connection: row.connection, serverHost: null, fingerprint, problem: firstLine(err) };
  }
}
