import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { env } from "@/lib/env";
import { localClusterKubeconfig } from "./local-cluster";

// Where the portal's cluster connection comes from: a kubeconfig (KUBECONFIG, optionally
// KUBE_CONTEXT), else the pod's own service account, else the local cluster of `npm start` once
// it is ready, else nowhere (provisioning is off).
// Nothing falls back to ~/.kube/config or localhost:8080: a portal that silently talked
// to a developer's default cluster would provision runners on the wrong one.

const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export type KubeSource =
  | { kind: "kubeconfig"; paths: string[]; context?: string; local?: true }
  | { kind: "in-cluster" }
  | { kind: "explicit"; kubeConfig: KubeConfig };

/** A connection that is configured but unusable; names the setting to fix. */
export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KubeConfigError";
  }
}

/** The configured source, or null when the portal has no cluster. */
export function kubeSourceFromEnv(): KubeSource | null {
  const e = env();
  if (e.KUBECONFIG) {
    return { kind: "kubeconfig", paths: e.KUBECONFIG.split(path.delimiter).filter(Boolean), context: e.KUBE_CONTEXT };
  }
  if (process.env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) return { kind: "in-cluster" };
  const local = localClusterKubeconfig();
  return local ? { kind: "kubeconfig", paths: [local], local: true } : null;
}

/** Whether a cluster connection is configured (it may still be unreachable). */
export function kubeConfigured(): boolean {
  return kubeSourceFromEnv() !== null;
}

export function describeSource(source: KubeSource): string {
  if (source.kind === "kubeconfig" && source.local) return "the local cluster of npm start";
  if (source.kind === "kubeconfig") return `KUBECONFIG ${source.paths.join(path.delimiter)}${source.context ? ` (context ${source.context})` : ""}`;
  if (source.kind === "in-cluster") return "the pod's service account";
  return "an explicit kubeconfig";
}

/** Loads a source into a KubeConfig, or throws KubeConfigError saying what is wrong with it. */
export function loadKubeConfig(source: KubeSource): KubeConfig {
  if (source.kind === "explicit") return source.kubeConfig;
  const kc = new KubeConfig();
  try {
    if (source.kind === "in-cluster") {
      kc.loadFromCluster();
    } else {
      const missing = source.paths.filter((p) => !existsSync(p));
      if (missing.length > 0) throw new KubeConfigError(`KUBECONFIG names a file that does not exist: ${missing.join(", ")}`);
      kc.loadFromFile(source.paths[0]!);
      for (const extra of source.paths.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(extra);
        kc.mergeConfig(more);
      }
      if (source.context) {
        if (!kc.getContextObject(source.context)) {
          throw new KubeConfigError(`KUBE_CONTEXT "${source.context}" is not a context in ${source.paths.join(", ")}`);
        }
        kc.setCurrentContext(source.context);
      }
    }
  } catch (err) {
    if (err instanceof KubeConfigError) throw err;
    throw new KubeConfigError(`Cannot read the cluster connection from ${describeSource(source)}: ${(err as Error).message}`);
  }
  if (!kc.getCurrentCluster()) {
    throw new KubeConfigError(`${describeSource(source)} has no current context with a cluster; set KUBE_CONTEXT`);
  }
  return kc;
}
