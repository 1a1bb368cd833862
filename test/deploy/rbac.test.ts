// The portal's ServiceAccount with the RBAC of the chart (deploy/chart), installed with the
// real `helm install` on the real kube-apiserver (RBAC authorization mode): it can do exactly
// what provisioning needs and nothing broader. Each RBAC mode is a `helm upgrade`. Installs
// run with --no-hooks: the migration hook Job would wait forever for a pod on an API server
// without a scheduler or kubelet (test/deploy/manifests.test.ts validates that Job).
// Three kinds of evidence:
//  1. SubjectAccessReview for every verb/resource/namespace provisioning uses, and for
//     broader things it must not do;
//  2. SelfSubjectRulesReview with a real token of the ServiceAccount (TokenRequest): the
//     complete list of what it may do equals the expected list, nothing more;
//  3. provisioning, capacity, status and decommission from lib/provision really run with
//     that token, so the API server's own checks (server-side apply that creates, RBAC
//     escalation prevention when creating the manager Role) are exercised, not assumed.
import { ApiException, KubeConfig, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderManifests, type KubeObject } from "@/lib/arc";
import { environmentSettings } from "@/lib/clusters/settings";
import { db } from "@/lib/db";
import { createKube, type Kube } from "@/lib/kube/client";
import { loadKubeConfig } from "@/lib/kube/config";
import { capacityCheck } from "@/lib/provision/capacity";
import { runProvisioning } from "@/lib/provision/run";
import { runnerStatus } from "@/lib/provision/status";
import { performTransition } from "@/lib/requests/transition";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { CHART, helm, RELEASE, renderChart, setFlags, type Manifest, type Values } from "@/test/harness/helm";
import { approvedRequest, people, suffix, testCluster, testSpec, timeline, type People } from "@/test/provision/fixtures";

const SA = { namespace: "arc-runner-portal", name: "arc-runner-portal" };
const SA_USER = `system:serviceaccount:${SA.namespace}:${SA.name}`;
const SA_GROUPS = ["system:serviceaccounts", `system:serviceaccounts:${SA.namespace}`, "system:authenticated"];

type Access = { verb: string; resource: string; group?: string; subresource?: string; namespace?: string };
const show = (a: Access) =>
  `${a.verb} ${a.group ? `${a.resource}.${a.group}` : a.resource}${a.subresource ? `/${a.subresource}` : ""}${a.namespace ? ` in ${a.namespace}` : " (cluster)"}`;

const ARS = { resource: "autoscalingrunnersets", group: "actions.github.com" };
const RBAC = "rbac.authorization.k8s.io";

/** What lib/provision does in a runner namespace, and where. */
function provisioningNeeds(ns: string): Access[] {
  const crud = (resource: string, group?: string) =>
    ["get", "create", "patch", "delete"].map((verb) => ({ verb, resource, group, namespace: ns }));
  return [
    // capacity.ts: nodes and the namespace's quotas; apply.ts/capacity.ts: read the namespace.
    { verb: "list", resource: "nodes" },
    { verb: "get", resource: "namespaces" },
    { verb: "list", resource: "resourcequotas", namespace: ns },
    // apply.ts/kube-objects.ts: server-side apply (patch; create when new), read back,
    // decommission.ts: delete, and finalizer removal (patch).
    ...crud("secrets"),
    ...crud("serviceaccounts"),
    ...crud("roles", RBAC),
    ...crud("rolebindings", RBAC),
    ...crud(ARS.resource, ARS.group),
  ];
}

/** The manager Role the portal creates for the ARC controller; the portal must hold all of it. */
function managerRoleGrants(ns: string): Access[] {
  const role = renderManifests(testSpec("rbac-probe", ns), environmentSettings()).find((o) => o.kind === "Role") as KubeObject & {
    rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  };
  return role.rules.flatMap((r) =>
    r.resources.flatMap((res) => {
      const [resource, subresource] = res.split("/") as [string, string | undefined];
      return r.verbs.map((verb) => ({ verb, resource, subresource, group: r.apiGroups[0] || undefined, namespace: ns }));
    }),
  );
}

/** Broader things a portal compromise must not give: each one denied. */
function mustNotDo(ns: string): Access[] {
  return [
    { verb: "create", resource: "namespaces" },
    { verb: "patch", resource: "namespaces" },
    { verb: "delete", resource: "namespaces" },
    { verb: "list", resource: "namespaces" },
    { verb: "delete", resource: "nodes" },
    { verb: "patch", resource: "nodes" },
    { verb: "create", resource: "clusterroles", group: RBAC },
    { verb: "create", resource: "clusterrolebindings", group: RBAC },
    { verb: "bind", resource: "clusterroles", group: RBAC },
    { verb: "escalate", resource: "clusterroles", group: RBAC },
    { verb: "bind", resource: "roles", group: RBAC, namespace: ns },
    { verb: "escalate", resource: "roles", group: RBAC, namespace: ns },
    { verb: "impersonate", resource: "users" },
    { verb: "impersonate", resource: "serviceaccounts", namespace: ns },
    { verb: "create", resource: "serviceaccounts", subresource: "token", namespace: ns },
    { verb: "create", resource: "pods", subresource: "exec", namespace: ns },
    { verb: "create", resource: "pods", subresource: "attach", namespace: ns },
    { verb: "get", resource: "pods", subresource: "log", namespace: ns },
    { verb: "list", resource: "pods", namespace: ns },
    { verb: "patch", resource: "pods", namespace: ns },
    { verb: "watch", resource: "secrets", namespace: ns },
    { verb: "deletecollection", resource: "secrets", namespace: ns },
    { verb: "get", resource: "configmaps", namespace: ns },
    { verb: "create", resource: "deployments", group: "apps", namespace: ns },
    { verb: "create", resource: "daemonsets", group: "apps", namespace: ns },
    { verb: "create", resource: "jobs", group: "batch", namespace: ns },
    { verb: "list", ...ARS, namespace: ns },
    { verb: "update", ...ARS, namespace: ns },
    { verb: "patch", ...ARS, subresource: "status", namespace: ns },
    { verb: "get", resource: "ephemeralrunners", group: "actions.github.com", namespace: ns },
    { verb: "create", resource: "customresourcedefinitions", group: "apiextensions.k8s.io" },
    { verb: "create", resource: "validatingwebhookconfigurations", group: "admissionregistration.k8s.io" },
    { verb: "create", resource: "certificatesigningrequests", group: "certificates.k8s.io" },
    { verb: "list", resource: "persistentvolumes" },
    { verb: "create", resource: "resourcequotas", namespace: ns },
  ];
}

let cluster: KubeCluster;
let admin: Kube;
let portal: Kube;
let p: People;
let clusterRow: { id: string; name: string };

const adminApply = (obj: Manifest | KubernetesObject) =>
  admin.objects.patch(obj as KubernetesObject, undefined, undefined, "deploy-test", true, PatchStrategy.ServerSideApply);

async function adminPost<T>(path: string, body: unknown): Promise<T> {
  const res = await fetchAs(cluster.token, "POST", path, body);
  if (res.status >= 300) throw new Error(`POST ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

/** Raw HTTPS against the test API server as the holder of `token`. */
async function fetchAs(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const { request } = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, cluster.server),
      { method, ca: cluster.caData, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || "null") }));
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function allowed(a: Access): Promise<boolean> {
  const review = await adminPost<{ status: { allowed: boolean } }>("/apis/authorization.k8s.io/v1/subjectaccessreviews", {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SubjectAccessReview",
    spec: {
      user: SA_USER,
      groups: SA_GROUPS,
      resourceAttributes: { verb: a.verb, resource: a.resource, group: a.group ?? "", subresource: a.subresource ?? "", namespace: a.namespace ?? "" },
    },
  });
  return review.status.allowed;
}

/** The accesses in `list` whose answer differs from `want`. */
async function mismatches(list: Access[], want: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const a of list) if ((await allowed(a)) !== want) out.push(show(a));
  return out;
}

/** RBAC changes reach the authorizer through an informer: wait until it sees them. */
async function until(a: Access, want: boolean) {
  const deadline = Date.now() + 10_000;
  while ((await allowed(a)) !== want) {
    if (Date.now() > deadline) throw new Error(`${show(a)} never became ${want ? "allowed" : "denied"}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every (group, resource, verb) the token's holder may use in `namespace`, from SelfSubjectRulesReview. */
async function effectiveRules(token: string, namespace: string): Promise<string[]> {
  const res = await fetchAs(token, "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectRulesReview",
    spec: { namespace },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.status.incomplete).toBe(false);
  const rules: { verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames?: string[] }[] = res.body.status.resourceRules;
  const out = new Set<string>();
  for (const r of rules) {
    expect(r.resourceNames ?? []).toEqual([]);
    for (const g of r.apiGroups) for (const res of r.resources) for (const v of r.verbs) out.add(`${g || "core"}/${res}:${v}`);
  }
  return [...out].sort();
}

const ruleKey = (a: Access) => `${a.group ?? "core"}/${a.resource}${a.subresource ? `/${a.subresource}` : ""}:${a.verb}`;
// What every authenticated identity may do (system:basic-user): not the portal's grants.
const EVERYONE = ["authorization.k8s.io/selfsubjectaccessreviews:create", "authorization.k8s.io/selfsubjectrulesreviews:create"];

async function serviceAccountToken(): Promise<string> {
  const res = await adminPost<{ status: { token: string } }>(`/api/v1/namespaces/${SA.namespace}/serviceaccounts/${SA.name}/token`, {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    spec: { expirationSeconds: 3600 },
  });
  return res.status.token;
}

function kubeWithToken(token: string): Kube {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "test", server: cluster.server, caData: Buffer.from(cluster.caData).toString("base64"), skipTLSVerify: false }],
    users: [{ name: SA.name, token }],
    contexts: [{ name: "portal", cluster: "test", user: SA.name }],
    currentContext: "portal",
  });
  return createKube(kc);
}

/** `helm upgrade --install` of the chart into the test API server, as its admin. */
function helmInstall(values: Values = {}) {
  const r = helm(["upgrade", "--install", RELEASE.name, CHART, "--namespace", RELEASE.namespace, "--create-namespace", "--no-hooks", "--kubeconfig", cluster.kubeconfigPath, ...setFlags(values)]);
  expect(r.status, r.stderr).toBe(0);
}

const createNamespaceAsAdmin = (name: string) => adminApply({ apiVersion: "v1", kind: "Namespace", metadata: { name } });

async function liveExists(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<boolean> {
  try {
    await admin.objects.read({ apiVersion, kind, metadata: { name, namespace } } as KubernetesObject & { metadata: { name: string } });
    return true;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return false;
    throw err;
  }
}

const fresh = (prefix: string) => {
  const s = suffix();
  return testSpec(`${prefix}-${s}`, `ns-${prefix}-${s}`);
};

/** One provisioning attempt as the portal's ServiceAccount, with no retries. */
const provisionOnce = (requestId: string) => runProvisioning(requestId, { retryCount: 0, retryLimit: 0 }, { kube: portal, clusterId: clusterRow.id, scaleSetGoneTimeoutMs: 5_000 });

beforeAll(async () => {
  cluster = await startKube();
  admin = createKube(loadKubeConfig({ kind: "kubeconfig", paths: [cluster.kubeconfigPath] }));
  helmInstall();
  await until({ verb: "list", resource: "nodes" }, true);
  portal = kubeWithToken(await serviceAccountToken());
  clusterRow = await testCluster("rbac");
  p = await people();
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe("the portal's ServiceAccount (helm install deploy/chart, default values: rbac.scope=cluster)", () => {
  it("is what `helm install` put on the API server: the chart's objects, the migration hook left out", async () => {
    const releases = JSON.parse(helm(["list", "-n", RELEASE.namespace, "-o", "json", "--kubeconfig", cluster.kubeconfigPath]).stdout) as { name: string; status: string }[];
    expect(releases.map((r) => [r.name, r.status])).toEqual([[RELEASE.name, "deployed"]]);
    const objects = renderChart();
    const hooks = objects.filter((m) => (m.metadata.annotations as Record<string, string> | undefined)?.["helm.sh/hook"]);
    expect(hooks.map((m) => m.kind)).toEqual(["Job"]);
    for (const m of objects) expect([m.kind, m.metadata.name, await liveExists(m.apiVersion, m.kind, m.metadata.namespace, m.metadata.name)]).toEqual([m.kind, m.metadata.name, !hooks.includes(m)]);
  });

  it("may do everything provisioning does, in any runner namespace", async () => {
    for (const ns of ["team-a-runners", "arc-rocm"]) expect(await mismatches(provisioningNeeds(ns), true)).toEqual([]);
  });

  it("holds every permission of the manager Role it creates for the ARC controller (RBAC escalation prevention)", async () => {
    expect(await mismatches(managerRoleGrants("team-a-runners"), true)).toEqual([]);
  });

  it("may do nothing broader", async () => {
    expect(await mismatches(mustNotDo("team-a-runners"), false)).toEqual([]);
    expect(await mismatches(mustNotDo("kube-system"), false)).toEqual([]);
  });

  it("has exactly these permissions and no others (SelfSubjectRulesReview with its own token)", async () => {
    const token = await serviceAccountToken();
    const expected = [...new Set([...provisioningNeeds("x"), ...managerRoleGrants("x")].map(ruleKey).concat(EVERYONE))].sort();
    expect(await effectiveRules(token, "team-a-runners")).toEqual(expected);
    // The cluster-wide binding is the price of runner namespaces that do not exist yet:
    // the same grants hold in kube-system (rbac.scope=namespaces avoids that).
    expect(await effectiveRules(token, "kube-system")).toEqual(expected);
    expect(await allowed({ verb: "get", resource: "secrets", namespace: "kube-system" })).toBe(true);
  });

  it("provisions, reports capacity and status, and decommissions a scale set with only these permissions", async () => {
    const spec = fresh("sa");
    await createNamespaceAsAdmin(spec.namespace);
    const { request } = await approvedRequest(p, clusterRow.id, spec);
    expect(await provisionOnce(request.id)).toBe("ready");
    const manager = `${spec.label}-gha-rs-manager`;
    expect(
      await Promise.all([
        liveExists("v1", "Secret", spec.namespace, `${spec.label}-gha-rs-github-secret`),
        liveExists("v1", "ServiceAccount", spec.namespace, `${spec.label}-gha-rs-no-permission`),
        liveExists(`${RBAC}/v1`, "Role", spec.namespace, manager),
        liveExists(`${RBAC}/v1`, "RoleBinding", spec.namespace, manager),
        liveExists("actions.github.com/v1alpha1", "AutoscalingRunnerSet", spec.namespace, spec.label),
      ]),
    ).toEqual([true, true, true, true, true]);

    const capacity = await capacityCheck({ id: request.id, clusterId: clusterRow.id, namespace: spec.namespace, spec }, { kube: portal });
    expect(capacity.cluster).toMatchObject({ state: "live", message: null });
    expect(capacity.namespace.exists).toBe(true);
    const status = await runnerStatus(await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } }), { reviewer: true, kube: portal });
    expect(status.state).toBe("live");

    await performTransition({ requestId: request.id, action: "request_decommission", actor: p.requester, reason: "rbac test" });
    await performTransition({ requestId: request.id, action: "approve", actor: p.reviewer });
    expect(await provisionOnce(request.id)).toBe("decommissioned");
    expect(await liveExists(`${RBAC}/v1`, "Role", spec.namespace, manager)).toBe(false);
  });

  it("cannot create a missing runner namespace: provisioning fails with the API server's refusal", async () => {
    const spec = fresh("nons");
    const { request } = await approvedRequest(p, clusterRow.id, spec);
    expect(await provisionOnce(request.id)).toBe("failed");
    const failed = (await timeline(request.id)).find((e) => e.toStatus === "FAILED");
    expect(failed?.message).toMatch(/HTTP 403.*namespaces "ns-nons-\w+" is forbidden/s);
    expect(await liveExists("v1", "Namespace", undefined, spec.namespace)).toBe(false);
  });
});

describe("why the grants cannot be narrower", () => {
  /** A second ServiceAccount holding `rules` in every namespace; returns a Kube with its token. */
  async function probeWith(name: string, rules: unknown[]): Promise<Kube> {
    await adminApply({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: SA.namespace } });
    await adminApply({ apiVersion: `${RBAC}/v1`, kind: "ClusterRole", metadata: { name }, rules } as KubernetesObject);
    await adminApply({
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name, namespace: SA.namespace }],
    } as KubernetesObject);
    const res = await adminPost<{ status: { token: string } }>(`/api/v1/namespaces/${SA.namespace}/serviceaccounts/${name}/token`, {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { expirationSeconds: 600 },
    });
    const kube = kubeWithToken(res.status.token);
    const deadline = Date.now() + 10_000;
    // Wait until the authorizer has seen the binding.
    while ((await effectiveRules(res.status.token, "default")).length <= EVERYONE.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    return kube;
  }

  const status = (err: unknown) => (err instanceof ApiException ? `${err.code} ${JSON.stringify(err.body)}` : String(err));

  it("without the manager Role's pod permissions, creating that Role is refused as an escalation", async () => {
    const base = renderChart().find((m) => m.kind === "ClusterRole" && m.metadata.name === "arc-runner-portal:runner-namespaces") as Manifest & {
      rules: { resources: string[] }[];
    };
    const withoutPods = base.rules.filter((r) => !r.resources.some((res) => res.startsWith("pods")));
    const probe = await probeWith("probe-no-pods", withoutPods);
    const ns = fresh("esc").namespace;
    await createNamespaceAsAdmin(ns);
    const role = renderManifests(testSpec("esc-probe", ns), environmentSettings()).find((o) => o.kind === "Role")!;
    const { finalizers: _f, ...metadata } = role.metadata as KubeObject["metadata"] & { finalizers?: string[] };
    const attempt = probe.objects.patch({ ...role, metadata } as KubernetesObject, undefined, undefined, "probe", false, PatchStrategy.ServerSideApply);
    await expect(attempt.then(() => "created", status)).resolves.toMatch(/^403 .*attempting to grant RBAC permissions not currently held/s);
  });

  it("server-side apply of a new namespace needs create as well as patch", async () => {
    const probe = await probeWith("probe-ns-patch", [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "patch"] }]);
    const name = fresh("patchonly").namespace;
    const attempt = probe.objects.patch({ apiVersion: "v1", kind: "Namespace", metadata: { name } }, undefined, undefined, "probe", false, PatchStrategy.ServerSideApply);
    await expect(attempt.then(() => "created", status)).resolves.toMatch(/^403 .*namespaces .*is forbidden/s);
  });
});

describe("helm upgrade --set rbac.createNamespaces=true", () => {
  it("adds exactly namespace create and patch, which server-side apply of a new namespace needs", async () => {
    helmInstall({ "rbac.createNamespaces": true });
    await until({ verb: "create", resource: "namespaces" }, true);
    expect(await mismatches([{ verb: "patch", resource: "namespaces" }], true)).toEqual([]);
    expect(await mismatches([{ verb: "delete", resource: "namespaces" }, { verb: "list", resource: "namespaces" }, { verb: "update", resource: "namespaces" }], false)).toEqual([]);

    const spec = fresh("mkns");
    const { request } = await approvedRequest(p, clusterRow.id, spec);
    expect(await provisionOnce(request.id)).toBe("ready");
    expect(await liveExists("v1", "Namespace", undefined, spec.namespace)).toBe(true);
  });
});

describe("helm upgrade --set rbac.scope=namespaces", () => {
  it("confines the namespaced permissions to the runner namespaces the chart binds", async () => {
    const bound = fresh("bound");
    const unbound = fresh("unbound");
    await createNamespaceAsAdmin(bound.namespace);
    await createNamespaceAsAdmin(unbound.namespace);
    // Switching from scope=cluster: helm deletes the cluster-wide bindings it no longer renders.
    helmInstall({ "rbac.scope": "namespaces", "rbac.runnerNamespaces": [bound.namespace] });
    expect(await liveExists(`${RBAC}/v1`, "ClusterRoleBinding", undefined, "arc-runner-portal:runner-namespaces")).toBe(false);
    expect(await liveExists(`${RBAC}/v1`, "ClusterRoleBinding", undefined, "arc-runner-portal:create-namespaces")).toBe(false);
    expect(await liveExists(`${RBAC}/v1`, "RoleBinding", bound.namespace, "arc-runner-portal")).toBe(true);
    await until({ verb: "get", resource: "secrets", namespace: "kube-system" }, false);
    await until({ verb: "create", resource: "secrets", namespace: bound.namespace }, true);

    expect(await mismatches([...provisioningNeeds(bound.namespace), ...managerRoleGrants(bound.namespace)], true)).toEqual([]);
    const elsewhere = [...provisioningNeeds(unbound.namespace), ...provisioningNeeds("kube-system")].filter((a) => a.namespace);
    expect(await mismatches(elsewhere, false)).toEqual([]);
    expect(await mismatches([{ verb: "create", resource: "namespaces" }], false)).toEqual([]);

    const ok = await approvedRequest(p, clusterRow.id, bound);
    expect(await provisionOnce(ok.request.id)).toBe("ready");
    const refused = await approvedRequest(p, clusterRow.id, unbound);
    expect(await provisionOnce(refused.request.id)).toBe("failed");
    const failed = (await timeline(refused.request.id)).find((e) => e.toStatus === "FAILED");
    expect(failed?.message).toMatch(/HTTP 403/);
  });
});
