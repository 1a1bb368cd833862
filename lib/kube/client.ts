import "server-only";
import {
  CoreV1Api,
  createConfiguration,
  KubeConfig,
  KubernetesObjectApi,
  ServerConfiguration,
  type RequestContext,
  type ResponseContext,
} from "@kubernetes/client-node";
import { KubeConfigError, kubeSourceFromEnv, loadKubeConfig, type KubeSource } from "./config";

/** The API clients the portal uses, bound to one cluster. */
export interface Kube {
  /** The API server's URL, for messages. */
  server: string;
  /** Any object by apiVersion/kind: server-side apply, read, delete. */
  objects: KubernetesObjectApi;
  core: CoreV1Api;
}

export interface KubeOptions {
  /**
   * Per-request limit. Without one, a server that accepts the connection and never answers
   * would hold a provisioning job until pg-boss expires it.
   */
  requestTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/** API clients for a loaded KubeConfig (tests pass their own; the portal uses `defaultKube`). */
export function createKube(kc: KubeConfig, opts: KubeOptions = {}): Kube {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeConfigError("The kubeconfig has no current cluster.");
  const timeoutMs = opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration<Record<string, string>>(cluster.server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [
      {
        pre: async (ctx: RequestContext) => {
          ctx.setSignal(AbortSignal.timeout(timeoutMs));
          return ctx;
        },
        post: async (res: ResponseContext) => res,
      },
    ],
  });
  return { server: cluster.server, objects: new KubernetesObjectApi(configuration), core: new CoreV1Api(configuration) };
}

export function kubeFromSource(source: KubeSource, opts?: KubeOptions): Kube {
  return createKube(loadKubeConfig(source), opts);
}

// One set of clients per process, from the environment; replaced only by tests.
const holder = globalThis as unknown as { portalKube?: Kube | null };

/** The portal's cluster, or null when none is configured. Throws KubeConfigError for a broken one. */
export function defaultKube(): Kube | null {
  if (holder.portalKube === undefined) {
    const source = kubeSourceFromEnv();
    holder.portalKube = source ? kubeFromSource(source) : null;
  }
  return holder.portalKube;
}

/** Replaces the portal's cluster (tests, or a caller with its own configuration); undefined re-reads the environment. */
export function setDefaultKube(kube: Kube | null | undefined): void {
  holder.portalKube = kube;
}
