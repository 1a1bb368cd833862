// Every object in deploy/ (the chart rendered by the real `helm template` in each RBAC mode
// and with its options on, hooks included, plus the standalone Job and the Secret template) is
// applied with server-side dry run to the real kube-apiserver: the server validates each
// object against its schema and runs admission without storing anything; the test also
// checks that the server kept every field sent (v1.20 silently drops unknown fields rather
// than refusing them). `helm lint` and the chart's values.schema.json are checked here too.
import { ApiException, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKube, type Kube } from "@/lib/kube/client";
import { loadKubeConfig } from "@/lib/kube/config";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { CHART, helm, readManifests, renderChart, setFlags, type Manifest, type Values } from "@/test/harness/helm";

const DEPLOY = path.resolve(import.meta.dirname, "../../deploy");
/** The chart's modes and options, as `--set` values. */
const VARIANTS: Record<string, Values> = {
  "default (rbac.scope=cluster)": {},
  "rbac.createNamespaces": { "rbac.createNamespaces": true },
  "rbac.scope=namespaces": { "rbac.scope": "namespaces", "rbac.runnerNamespaces": ["team-runners"] },
  "ingress": { "ingress.enabled": true, "ingress.className": "nginx", "ingress.tlsSecretName": "arc-portal-tls" },
};
const STANDALONE = ["jobs/rotate-encryption-key.yaml", "secret.example.yaml"];
// The API server here has no Prometheus Operator CRDs: the ServiceMonitor is checked by shape only.
const SERVICE_MONITOR: Values = { "serviceMonitor.enabled": true };

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

const deploymentOf = (objs: Manifest[]) => objs.find((m) => m.kind === "Deployment") as Manifest & { spec: any };

describe("deploy/ manifests", () => {
  const all: [string, Manifest][] = [
    ...Object.entries(VARIANTS).flatMap(([v, values]) => renderChart(values).map((m): [string, Manifest] => [`chart ${v}`, m])),
    ...STANDALONE.flatMap((f) => readManifests(path.join(DEPLOY, f)).map((m): [string, Manifest] => [f, m])),
  ];

  it("are all accepted by the API server's server-side dry run", async () => {
    expect(all.length).toBeGreaterThan(30);
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

  it("cover every file in deploy/: the chart's templates each render, and nothing else escapes the dry run", () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
    const outside = walk(DEPLOY).filter((f) => !f.startsWith(CHART + path.sep)).map((f) => path.relative(DEPLOY, f));
    expect(outside.sort()).toEqual([...STANDALONE].sort());
    const rendered = new Set<string>();
    for (const values of [...Object.values(VARIANTS), SERVICE_MONITOR]) {
      const out = helm(["template", "arc-runner-portal", CHART, "-n", "arc-runner-portal", ...setFlags(values)]).stdout;
      for (const m of out.matchAll(/^# Source: arc-runner-portal\/(templates\/\S+)$/gm)) rendered.add(m[1]!);
    }
    const templates = readdirSync(path.join(CHART, "templates")).filter((f) => f.endsWith(".yaml")).map((f) => `templates/${f}`);
    expect(templates.filter((t) => !rendered.has(t))).toEqual([]);
  });

  it("would have refused a broken manifest (the dry run really validates)", async () => {
    const deployment = deploymentOf(renderChart());
    const typo = structuredClone(deployment) as Manifest & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    typo.spec.template.spec.containers[0]!.readinessprobe = typo.spec.template.spec.containers[0]!.readinessProbe;
    expect(await problemsApplying(typo)).toBe("the server dropped fields it does not know: spec.template.spec.containers[0].readinessprobe");
    const wrongType = structuredClone(deployment) as Manifest & { spec: Record<string, unknown> };
    wrongType.spec.replicas = "two";
    expect(await problemsApplying(wrongType)).toMatch(/^HTTP (400|422|500)/);
  });

  it("run the portal as the issue asks: two replicas, probes, requests, a locked-down security context", () => {
    const objects = renderChart();
    const d = deploymentOf(objects);
    expect(d.spec.replicas).toBe(2);
    expect(d.metadata.namespace).toBe("arc-runner-portal");
    const pod = d.spec.template.spec;
    expect(pod.serviceAccountName).toBe("arc-runner-portal");
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } });
    const c = pod.containers[0];
    expect(c.image).toBe("ghcr.io/ossci/arc-runner-portal:0.1.0");
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
    // Secrets are referenced, never held: the chart renders no Secret.
    expect(c.envFrom).toEqual([{ configMapRef: { name: "arc-runner-portal-config" } }, { secretRef: { name: "arc-runner-portal" } }]);
    expect(objects.filter((m) => m.kind === "Secret")).toEqual([]);
    // Migrations are a separate Job, never the replicas' command.
    expect(c.command).toBeUndefined();
    const migrate = objects.find((m) => m.kind === "Job") as Manifest & { spec: any };
    const rotate = readManifests(path.join(DEPLOY, "jobs/rotate-encryption-key.yaml"))[0] as Manifest & { spec: any };
    for (const [job, script] of [[migrate, "migrate.mjs"], [rotate, "rotate-encryption-key.mjs"]] as const) {
      const container = job.spec.template.spec.containers[0];
      expect(container.command).toEqual(["node", script]);
      expect(container.image).toBe(c.image);
      expect(container.securityContext).toEqual(c.securityContext);
      expect(container.env[0]).toEqual({ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "arc-runner-portal", key: "DATABASE_URL" } } });
      expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
    }
  });

  it("migrate before every install and upgrade: the migration Job is a pre-install/pre-upgrade hook", () => {
    const migrate = renderChart().find((m) => m.kind === "Job")!;
    expect(migrate.metadata.annotations).toEqual({
      "helm.sh/hook": "pre-install,pre-upgrade",
      "helm.sh/hook-weight": "0",
      "helm.sh/hook-delete-policy": "before-hook-creation",
    });
    expect(renderChart({ "migration.enabled": false }).some((m) => m.kind === "Job")).toBe(false);
  });

  it("keep the namespace setting and the namespace RBAC in step", () => {
    const setting = (objs: Manifest[]) => (objs.find((m) => m.kind === "ConfigMap") as Manifest & { data: Record<string, string> }).data.ARC_ALLOW_CREATE_NAMESPACE;
    const grantsCreate = (objs: Manifest[]) =>
      objs.some((m) => m.kind === "ClusterRole" && (m as Manifest & { rules: { resources: string[]; verbs: string[] }[] }).rules.some((r) => r.resources.includes("namespaces") && r.verbs.includes("create")));
    for (const [v, values] of Object.entries(VARIANTS)) {
      const objs = renderChart(values);
      expect({ v, setting: setting(objs) }).toEqual({ v, setting: grantsCreate(objs) ? "true" : "false" });
    }
  });

  it("bind the runner-namespace permissions cluster-wide, or only in the listed namespaces", () => {
    const bindings = (values: Values) =>
      renderChart(values)
        .filter((m) => m.kind.endsWith("Binding") && (m as Manifest & { roleRef: { name: string } }).roleRef.name === "arc-runner-portal:runner-namespaces")
        .map((m) => `${m.kind} ${m.metadata.namespace ?? ""}/${m.metadata.name}`);
    expect(bindings({})).toEqual(["ClusterRoleBinding /arc-runner-portal:runner-namespaces"]);
    expect(bindings({ "rbac.scope": "namespaces", "rbac.runnerNamespaces": ["a", "b"] })).toEqual(["RoleBinding a/arc-runner-portal", "RoleBinding b/arc-runner-portal"]);
    // Another release name gives other cluster-wide names: two installs do not collide.
    expect(renderChart({}, { name: "staging", namespace: "portal-staging" }).filter((m) => m.kind === "ClusterRole").map((m) => m.metadata.name)).toEqual([
      "staging-arc-runner-portal:cluster-reads",
      "staging-arc-runner-portal:runner-namespaces",
    ]);
  });

  it("offer an Ingress and a ServiceMonitor, off by default", () => {
    const kinds = (values: Values) => renderChart(values).map((m) => m.kind);
    expect(kinds({})).not.toContain("Ingress");
    expect(kinds({})).not.toContain("ServiceMonitor");
    const objs = renderChart({ ...VARIANTS.ingress, ...SERVICE_MONITOR });
    const service = objs.find((m) => m.kind === "Service") as Manifest & { spec: any };
    const ingress = objs.find((m) => m.kind === "Ingress") as Manifest & { spec: any };
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: service.metadata.name, port: { name: "http" } });
    expect(ingress.spec.tls).toEqual([{ hosts: ["arc-portal.example.com"], secretName: "arc-portal-tls" }]);
    const monitor = objs.find((m) => m.kind === "ServiceMonitor") as Manifest & { spec: any };
    expect(monitor.apiVersion).toBe("monitoring.coreos.com/v1");
    // It selects the Service (by its labels) and scrapes its named port with the metrics token.
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) expect((service.metadata.labels as Record<string, string>)[k]).toBe(v);
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain(monitor.spec.endpoints[0].port);
    expect(monitor.spec.endpoints[0]).toMatchObject({ path: "/api/metrics", authorization: { type: "Bearer", credentials: { name: "arc-runner-portal", key: "METRICS_TOKEN" } } });
  });
});

describe("the chart", () => {
  it("passes helm lint in every mode", () => {
    for (const values of [...Object.values(VARIANTS), SERVICE_MONITOR]) {
      const r = helm(["lint", CHART, ...setFlags(values)]);
      expect({ values, status: r.status, out: r.status === 0 ? "" : r.stdout + r.stderr }).toEqual({ values, status: 0, out: "" });
    }
  });

  it("refuses values its schema or its checks do not allow", () => {
    const refusal = (values: Values) => {
      try {
        renderChart(values);
        return "rendered";
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(refusal({ replicaCount: "two" })).toMatch(/replicaCount/);
    expect(refusal({ replicaCount: 3 })).toBe("rendered");
    expect(refusal({ "rbac.scope": "everywhere" })).toMatch(/rbac.*scope/s);
    expect(refusal({ "resource.limits.cpu": "2" })).toMatch(/resource/);
    expect(refusal({ "config.DATABASE_URL": "postgresql://x" })).toMatch(/DATABASE_URL/);
    expect(refusal({ "rbac.runnerNamespaces": ["Not_A_Namespace"] })).toMatch(/runnerNamespaces/);
    expect(refusal({ "rbac.scope": "namespaces", "rbac.createNamespaces": true })).toMatch(/rbac.createNamespaces needs rbac.scope=cluster/);
    expect(refusal({ "rbac.runnerNamespaces": ["a"] })).toMatch(/rbac.runnerNamespaces is for rbac.scope=namespaces/);
  });
});
