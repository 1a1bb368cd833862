// Smoke test for the real kube-apiserver harness: ARC CRD validation and
// server-side apply semantics that the portal relies on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { startKube, type KubeCluster } from "./kube";

const FIELD_MANAGER = "arc-portal";

interface AutoscalingRunnerSet extends KubernetesObject {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function runnerSet(namespace: string, name: string, spec: Record<string, unknown>): AutoscalingRunnerSet {
  return {
    apiVersion: "actions.github.com/v1alpha1",
    kind: "AutoscalingRunnerSet",
    metadata: { name, namespace },
    spec: {
      githubConfigUrl: "https://github.com/example-org",
      githubConfigSecret: "github-config",
      runnerScaleSetName: name,
      template: { spec: { containers: [{ name: "runner", image: "ghcr.io/actions/actions-runner:latest" }] } },
      ...spec,
    },
  };
}

async function apiErrorCode(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiException) return err.code;
    throw err;
  }
  throw new Error("expected the request to fail");
}

describe("kube harness (real kube-apiserver v1.20 + ARC CRDs)", () => {
  let cluster: KubeCluster;
  let objects: KubernetesObjectApi;
  let core: CoreV1Api;
  const namespace = `smoke-${Date.now().toString(36)}`;

  // The first run may build kube-apiserver from source (~7 minutes).
  beforeAll(async () => {
    cluster = await startKube();
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    objects = KubernetesObjectApi.makeApiClient(kc);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  }, 15 * 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it("server-side applies an AutoscalingRunnerSet and reads it back", async () => {
    const applied = await objects.patch(
      runnerSet(namespace, "gpu-a100", { minRunners: 0, maxRunners: 4 }),
      undefined,
      undefined,
      FIELD_MANAGER,
      false,
      PatchStrategy.ServerSideApply,
    );
    expect(applied.metadata?.uid).toBeTruthy();

    const read = await objects.read<AutoscalingRunnerSet>({
      apiVersion: "actions.github.com/v1alpha1",
      kind: "AutoscalingRunnerSet",
      metadata: { name: "gpu-a100", namespace },
    });
    expect(read.spec?.maxRunners).toBe(4);
    expect(read.metadata?.managedFields?.some((m) => m.manager === FIELD_MANAGER && m.operation === "Apply")).toBe(true);
  });

  it("rejects a non-integer maxRunners with 422", async () => {
    const code = await apiErrorCode(
      objects.patch(
        runnerSet(namespace, "bad-max", { maxRunners: "lots" }),
        undefined,
        undefined,
        FIELD_MANAGER,
        false,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(code).toBe(422);
  });

  it("returns 409 when another field manager applies a conflicting value", async () => {
    await objects.patch(
      runnerSet(namespace, "contested", { maxRunners: 2 }),
      undefined,
      undefined,
      FIELD_MANAGER,
      false,
      PatchStrategy.ServerSideApply,
    );
    const code = await apiErrorCode(
      objects.patch(
        runnerSet(namespace, "contested", { maxRunners: 9 }),
        undefined,
        undefined,
        "someone-else",
        false,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(code).toBe(409);
  });

  it("serves again after the apiserver restarts", async () => {
    await cluster.restartApiserver();
    const read = await objects.read<AutoscalingRunnerSet>({
      apiVersion: "actions.github.com/v1alpha1",
      kind: "AutoscalingRunnerSet",
      metadata: { name: "contested", namespace },
    });
    expect(read.spec?.maxRunners).toBe(2);
  }, 60_000);
});
