import "server-only";
import {
  type Configuration,
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

/** How long one pooled connection set is used before the kubeconfig's TLS material is taken up afresh. */
const POOL_RENEW_MS = 10 * 60_000;

type Dispatcher = ReturnType<RequestContext["getDispatcher"]>;

/**
 * The kubeconfig's authentication with one connection pool per cluster. KubeConfig builds a
 * new undici Agent for every request, i.e. a new TCP connection and TLS handshake each time
 * (25–55 ms and ~7 ms of client CPU per call here, against 3–6 ms and ~2 ms kept alive). Headers
 * (tokens, exec credentials) are still applied per request; the pooled Agent is replaced every
 * POOL_RENEW_MS so that a rotated CA or client certificate on disk is taken up.
 */
function pooledAuth(kc: KubeConfig) {
  let pooled: { dispatcher: NonNullable<Dispatcher>; since: number } | undefined;
  return {
    getName: () => "kubeconfig-pooled",
    applySecurityAuthentication: async (ctx: RequestContext) => {
      await kc.applySecurityAuthentication(ctx);
      const fresh = ctx.getDispatcher();
      if (!fresh) return; // plain http or no TLS material: fetch's global pool keeps connections alive already
      if (!pooled || Date.now() - pooled.since > POOL_RENEW_MS) {
        const old = pooled?.dispatcher;
        pooled = { dispatcher: fresh, since: Date.now() };
        void old?.close().catch(() => undefined); // lets requests in flight finish
      } else if (fresh !== pooled.dispatcher) {
        void fresh.close().catch(() => undefined);
      }
      ctx.setDispatcher(pooled.dispatcher);
    },
    /** Closes the pool once its requests in flight are done. */
    close: async () => {
      const old = pooled?.dispatcher;
      pooled = undefined;
      await old?.close().catch(() => undefined);
    },
  };
}

/**
 * The client configuration for a cluster: pooled authentication and a per-request limit. For
 * an API client other than Kube's (the admin probe's VersionApi); one-shot users close it after.
 */
export function clientConfiguration(
  kc: KubeConfig,
  opts: KubeOptions = {},
): { server: string; configuration: Configuration; close: () => Promise<void> } {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeConfigError("The kubeconfig has no current cluster.");
  const timeoutMs = opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const auth = pooledAuth(kc);
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration<Record<string, string>>(cluster.server, {}),
    authMethods: { default: auth },
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
  return { server: cluster.server, configuration, close: auth.close };
}

/** API clients for a loaded KubeConfig (tests pass their own; the portal uses `defaultKube`). */
export function createKube(kc: KubeConfig, opts: KubeOptions = {}): Kube {
  const { server, configuration } = clientConfiguration(kc, opts);
  return { server, objects: new KubernetesObjectApi(configuration), core: new CoreV1Api(configuration) };
}

export function kubeFromSource(source: KubeSource, opts?: KubeOptions): Kube {
  return createKube(loadKubeConfig(source), opts);
}

// One set of clients per process, from the environment; replaced only by tests.
const holder = globalThis as unknown as { portalKube?: Kube | null };

/** The portal's cluster, or null when none is configured (yet: the local cluster may still be starting). Throws KubeConfigError for a broken one. */
export function defaultKube(): Kube | null {
  if (holder.portalKube === undefined) {
    const source = kubeSourceFromEnv();
    if (!source) return null;
    holder.portalKube = kubeFromSource(source);
  }
  return holder.portalKube;
}

/** Replaces the portal's cluster (tests, or a caller with its own configuration); undefined re-reads the environment. */
export function setDefaultKube(kube: Kube | null | undefined): void {
  holder.portalKube = kube;
}
