// Every manifest in deploy/ (each kustomization rendered, plus the one-shot Job and the
// templates) is applied with server-side dry run to the real kube-apiserver: the server
// validates each object against its schema and runs admission without storing anything;
// the test also checks that the server kept every field sent (v1.20 silently drops
// unknown fields rather than refusing them).
import { ApiException, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKube, type Kube } from "@/lib/kube/client";
import { loadKubeConfig } from "@/lib/kube/config";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { kustomize, readManifests, type Manifest } from "@/test/harness/kustomize";

const DEPLOY = path.resolve(import.meta.dirname, "../../deploy");
const KUSTOMIZATIONS = ["base", "overlays/create-namespaces", "overlays/bound-namespaces"];
const STANDALONE = ["jobs/migrate.yaml", "jobs/rotate-encryption-key.yaml", "secret.example.yaml"];
const PER_NAMESPACE_TEMPLATE = "overlays/bound-namespaces/runner-namespace-rolebinding.yaml";

let cluster: KubeCluster;
let kube: Kube;

function dryRunApply(obj: Manifest) {
  return kube.objects.patch(obj as KubernetesObject, undefined, "All", "arc-runner-portal-deploy-test", true, PatchStrategy.ServerSideApply);
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * Paths that were sent but are not in what the server returns. A v1.20 API server drops
 * fields its schema does not know instead of refusing them (strict field validation came
 * in 1.25), so a misspelt field shows up only here.
 */
function droppedFields(sent: unknown, stored: unknown, at = ""): string[] {
  if (isMap(sent)) {
    if (!isMap(stored)) return [at || "."];
    return Object.entries(sent).flatMap(([k, v]) => {
      // Write-only: the server turns stringData into data.
      if (at === "" && k === "stringData") return Object.keys(v as object).filter((key) => !isMap(stored.data) || !(key in stored.data)).map((key) => `stringData.${key}`);
      return droppedFields(v, stored[k], at ? `${at}.${k}` : k);
    });
  }
  if (Array.isArray(sent)) {
    if (!Array.isArray(stored) || stored.length !== sent.length) return [at];
    return sent.flatMap((v, i) => droppedFields(v, stored[i], `${at}[${i}]`));
  }
  return [];
}

async function problemsApplying(obj: Manifest): Promise<string | null> {
  try {
    const stored = await dryRunApply(obj);
    const dropped = droppedFields(obj, stored);
    return dropped.length ? `the server dropped fields it does not know: ${dropped.join(", ")}` : null;
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    return `HTTP ${err.code}: ${typeof err.body === "string" ? err.body : JSON.stringify(err.body)}`;
  }
}

async function refusal(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    return `HTTP ${err.code}: ${typeof err.body === "string" ? err.body : JSON.stringify(err.body)}`;
  }
}

beforeAll(async () => {
  cluster = await startKube({ installArcCrds: false });
  kube = createKube(loadKubeConfig({ kind: "kubeconfig", paths: [cluster.kubeconfigPath] }));
  // Namespaced objects need their namespace to exist, even in a dry run.
  for (const ns of ["arc-runner-portal", "team-runners"]) {
    await kube.objects.patch({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }, undefined, undefined, "test", true, PatchStrategy.ServerSideApply);
  }
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe("deploy/ manifests", () => {
  const all: [string, Manifest][] = [
    ...KUSTOMIZATIONS.flatMap((k) => kustomize(path.join(DEPLOY, k)).map((m): [string, Manifest] => [k, m])),
    ...STANDALONE.flatMap((f) => readManifests(path.join(DEPLOY, f)).map((m): [string, Manifest] => [f, m])),
    ...readManifests(path.join(DEPLOY, PER_NAMESPACE_TEMPLATE)).map((m): [string, Manifest] => [
      PER_NAMESPACE_TEMPLATE,
      { ...m, metadata: { ...m.metadata, namespace: "team-runners" } },
    ]),
  ];

  it("are all accepted by the API server's server-side dry run", async () => {
    expect(all.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const [source, obj] of all) {
      const why = await problemsApplying(obj);
      if (why) problems.push(`${source}: ${obj.kind} ${obj.metadata.name}: ${why}`);
    }
    expect(problems).toEqual([]);
    // Dry run stored nothing.
    const stored = await refusal(kube.core.readNamespacedServiceAccount({ name: "arc-runner-portal", namespace: "arc-runner-portal" }));
    expect(stored).toMatch(/^HTTP 404/);
  });

  it("cover every file in deploy/: nothing escapes the dry run", () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
    const covered = new Set<string>([...STANDALONE, PER_NAMESPACE_TEMPLATE].map((f) => path.join(DEPLOY, f)));
    const visit = (dir: string) => {
      covered.add(path.join(dir, "kustomization.yaml"));
      const k = YAML.parse(readFileSync(path.join(dir, "kustomization.yaml"), "utf8")) as { resources?: string[]; patches?: { path: string }[] };
      for (const r of k.resources ?? []) {
        const p = path.resolve(dir, r);
        if (statSync(p).isDirectory()) visit(p);
        else covered.add(p);
      }
      for (const patch of k.patches ?? []) covered.add(path.resolve(dir, patch.path));
    };
    for (const k of KUSTOMIZATIONS) visit(path.join(DEPLOY, k));
    expect(walk(DEPLOY).filter((f) => !covered.has(f)).map((f) => path.relative(DEPLOY, f))).toEqual([]);
  });

  it("would have refused a broken manifest (the dry run really validates)", async () => {
    const deployment = kustomize(path.join(DEPLOY, "base")).find((m) => m.kind === "Deployment")!;
    const typo = structuredClone(deployment) as Manifest & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    typo.spec.template.spec.containers[0]!.readinessprobe = typo.spec.template.spec.containers[0]!.readinessProbe;
    expect(await problemsApplying(typo)).toBe("the server dropped fields it does not know: spec.template.spec.containers[0].readinessprobe");
    const wrongType = structuredClone(deployment) as Manifest & { spec: Record<string, unknown> };
    wrongType.spec.replicas = "two";
    expect(await problemsApplying(wrongType)).toMatch(/^HTTP (400|422|500)/);
  });

  it("run the portal as the issue asks: two replicas, probes, requests, a locked-down security context", () => {
    const d = kustomize(path.join(DEPLOY, "base")).find((m) => m.kind === "Deployment") as Manifest & { spec: any };
    expect(d.spec.replicas).toBe(2);
    const pod = d.spec.template.spec;
    expect(pod.serviceAccountName).toBe("arc-runner-portal");
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    const c = pod.containers[0];
    expect(c.readinessProbe.httpGet.path).toBe("/api/health/ready");
    expect(c.livenessProbe.httpGet.path).toBe("/api/health/live");
    expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    // Migrations are a separate Job, never the replicas' command.
    expect(c.command).toBeUndefined();
    for (const [file, script] of [["jobs/migrate.yaml", "migrate.mjs"], ["jobs/rotate-encryption-key.yaml", "rotate-encryption-key.mjs"]]) {
      const job = readManifests(path.join(DEPLOY, file!))[0] as Manifest & { spec: any };
      const container = job.spec.template.spec.containers[0];
      expect(container.command).toEqual(["node", script]);
      expect(container.image).toBe(c.image);
      expect(container.securityContext).toEqual(c.securityContext);
      expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
    }
  });

  it("keep the namespace setting and the namespace RBAC in step", () => {
    const setting = (k: string) =>
      (kustomize(path.join(DEPLOY, k)).find((m) => m.kind === "ConfigMap") as Manifest & { data: Record<string, string> }).data.ARC_ALLOW_CREATE_NAMESPACE;
    const grantsCreate = (k: string) =>
      kustomize(path.join(DEPLOY, k)).some(
        (m) => m.kind === "ClusterRole" && (m as Manifest & { rules: { resources: string[]; verbs: string[] }[] }).rules.some((r) => r.resources.includes("namespaces") && r.verbs.includes("create")),
      );
    for (const k of KUSTOMIZATIONS) expect({ k, setting: setting(k) }).toEqual({ k, setting: grantsCreate(k) ? "true" : "false" });
  });
});
