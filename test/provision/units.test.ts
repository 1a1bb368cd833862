// The pure parts of provisioning and the cluster connection, without a cluster.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ApiException } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { KubeConfigError, kubeConfigured, loadKubeConfig } from "@/lib/kube/config";
import { describeKubeError } from "@/lib/kube/errors";
import { parseQuantity } from "@/lib/kube/quantity";
import { driftBetween, otherSpecEditors } from "@/lib/provision/drift";
import { enqueueProvisioning, PROVISIONING_OFF_NOTICE, provisioningEnabled, startProvisioningWorker } from "@/lib/provision/service";
import { runnerStatus } from "@/lib/provision/status";

beforeAll(() => {
  // This file is about a portal without a cluster; kube test files restore what they set.
  delete process.env.KUBECONFIG;
});

describe("parseQuantity", () => {
  it.each([
    ["128", 128],
    ["127900m", 127.9],
    ["500m", 0.5],
    ["1Ki", 1024],
    ["1056764504Ki", 1056764504 * 1024],
    ["16Gi", 16 * 2 ** 30],
    ["1Ti", 2 ** 40],
    ["100M", 1e8],
    ["1e3", 1000],
    ["1.5Gi", 1.5 * 2 ** 30],
    [8, 8],
  ] as const)("%s", (q, value) => {
    expect(parseQuantity(q)).toBe(value);
  });

  it.each(["", "lots", "1 Gi", "Gi", "1Qi"])("rejects %j", (q) => {
    expect(parseQuantity(q)).toBeUndefined();
  });
});

describe("describeKubeError", () => {
  it("reads a server-side apply conflict, whose body client-node leaves as text", () => {
    const body = JSON.stringify({
      kind: "Status",
      message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using actions.github.com/v1alpha1: .spec.maxRunners',
      reason: "Conflict",
      details: { causes: [{ reason: "FieldManagerConflict", message: 'conflict with "kubectl-edit" using actions.github.com/v1alpha1', field: ".spec.maxRunners" }] },
      code: 409,
    });
    expect(describeKubeError(new ApiException(409, "Unsuccessful HTTP Request", `${body}\n`, {}))).toEqual({
      status: 409,
      message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using actions.github.com/v1alpha1: .spec.maxRunners',
      transient: false,
      conflicts: [{ manager: "kubectl-edit", field: ".spec.maxRunners" }],
    });
  });

  it("retries 5xx and 429, not 4xx refusals", () => {
    const status = (code: number, message: string) => JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message, code });
    expect(describeKubeError(new ApiException(503, "x", status(503, "etcdserver: leader changed"), {}))).toMatchObject({ transient: true, message: "etcdserver: leader changed" });
    expect(describeKubeError(new ApiException(429, "x", {}, {}))).toMatchObject({ transient: true, message: "HTTP 429 Too Many Requests" });
    expect(describeKubeError(new ApiException(422, "x", status(422, "spec.maxRunners: Invalid value"), {}))).toMatchObject({ transient: false });
    expect(describeKubeError(new ApiException(403, "x", status(403, "forbidden"), {}))).toMatchObject({ transient: false });
  });

  it("retries a path nothing serves yet (a CRD kind right after a restart), not a missing object", () => {
    expect(describeKubeError(new ApiException(404, "x", "404 page not found\n", {}))).toMatchObject({ status: 404, transient: true, message: "HTTP 404 Not Found" });
    const missing = JSON.stringify({ kind: "Status", message: 'namespaces "x" not found', reason: "NotFound", code: 404 });
    expect(describeKubeError(new ApiException(404, "x", missing, {}))).toMatchObject({ status: 404, transient: false });
  });

  it("never repeats an answer that is not a Kubernetes Status (another service's page or JSON), only its status code", () => {
    const secret = "INTERNAL-ADMIN-PAGE-4f1c";
    for (const body of [`<html><body>${secret}</body></html>`, JSON.stringify({ message: secret }), JSON.stringify({ error: secret }), `${secret}\n`]) {
      const problem = describeKubeError(new ApiException(502, "x", body, {}), "https://10.0.0.5");
      expect(problem).toEqual({ status: 502, transient: true, notKubernetes: true, message: "HTTP 502 Bad Gateway from https://10.0.0.5, and the answer is not a Kubernetes API's" });
    }
    // A 2xx that is not Kubernetes JSON: Node's JSON.parse message would quote the body.
    let parseError: unknown;
    try {
      JSON.parse(`<html>${secret}`);
    } catch (err) {
      parseError = err;
    }
    expect(String((parseError as Error).message)).toContain("INTE");
    expect(describeKubeError(parseError, "https://10.0.0.5")).toEqual({ message: "The server at https://10.0.0.5 is not a Kubernetes API: its answer is not Kubernetes JSON", transient: false, notKubernetes: true });
  });

  it("treats refused, unreachable and timed-out connections as transient", () => {
    const refused = new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" }) });
    expect(describeKubeError(refused, "https://127.0.0.1:6443")).toEqual({
      message: "The Kubernetes API server at https://127.0.0.1:6443 refused the connection (connect ECONNREFUSED 127.0.0.1:6443)",
      transient: true,
    });
    const nested = new TypeError("fetch failed", {
      cause: new AggregateError([Object.assign(new Error("connect EHOSTUNREACH 10.0.0.1:443"), { code: "EHOSTUNREACH" })]),
    });
    expect(describeKubeError(nested)).toMatchObject({ transient: true, message: expect.stringContaining("could not be reached") });
    expect(describeKubeError(new DOMException("aborted", "TimeoutError"))).toMatchObject({ transient: true, message: expect.stringContaining("did not answer in time") });
    // A server that accepts the connection and never finishes the TLS handshake: undici gives up after 10 s.
    const silent = new TypeError("fetch failed", { cause: Object.assign(new Error("Connect Timeout Error"), { code: "UND_ERR_CONNECT_TIMEOUT" }) });
    expect(describeKubeError(silent)).toMatchObject({ transient: true, message: expect.stringContaining("did not answer in time") });
    expect(describeKubeError(new Error("something else"))).toEqual({ message: "something else", transient: false });
  });
});

describe("drift", () => {
  const approved = {
    metadata: { labels: { "app.kubernetes.io/version": "0.14.2" } },
    spec: { maxRunners: 6, template: { spec: { containers: [{ name: "runner", resources: { limits: { "amd.com/gpu": 2 } } }] } } },
  };

  it("ignores what the server or the controller added", () => {
    const live = {
      metadata: { labels: { "app.kubernetes.io/version": "0.14.2", extra: "x" }, finalizers: ["f"] },
      spec: { maxRunners: 6, template: { spec: { containers: [{ name: "runner", resources: { limits: { "amd.com/gpu": 2 } }, terminationMessagePath: "/dev/x" }] } } },
      status: { currentRunners: 3 },
    };
    expect(driftBetween(approved, live, ["spec", "metadata.labels"])).toEqual([]);
  });

  it("names each changed field, a changed list, and a missing label", () => {
    const live = {
      metadata: { labels: {} },
      spec: { maxRunners: 9, template: { spec: { containers: [{ name: "runner", resources: { limits: { "amd.com/gpu": 4 } } }, { name: "sidecar" }] } } },
    };
    expect(driftBetween(approved, live, ["spec", "metadata.labels"])).toEqual([
      { path: "spec.maxRunners", approved: 6, live: 9 },
      { path: "spec.template.spec.containers", approved: approved.spec.template.spec.containers, live: live.spec.template.spec.containers },
      { path: "metadata.labels.app.kubernetes.io/version", approved: "0.14.2", live: null },
    ]);
  });

  it("names the other managers that wrote the spec", () => {
    const managed = [
      { manager: "arc-runner-portal", operation: "Apply", fieldsV1: { "f:spec": {} } },
      { manager: "kubectl-edit", operation: "Update", fieldsV1: { "f:spec": { "f:maxRunners": {} } } },
      { manager: "gha-runner-scale-set-controller", operation: "Update", fieldsV1: { "f:metadata": {} } },
    ];
    expect(otherSpecEditors(managed, "arc-runner-portal")).toEqual(["kubectl-edit"]);
  });
});

describe("cluster connection", () => {
  it("is off without KUBECONFIG or a service account, and approval then only gives a notice", async () => {
    expect(kubeConfigured()).toBe(false);
    expect(provisioningEnabled()).toBe(false);
    expect(startProvisioningWorker()).toBe(false);
    expect(await enqueueProvisioning("any-request")).toEqual({ queued: false, notice: PROVISIONING_OFF_NOTICE });
    const status = await runnerStatus(
      { status: "READY", reviewKind: "NEW", clusterId: "c", approvedSpec: { label: "x", namespace: "y", githubApp: {} } },
      { reviewer: false },
    );
    expect(status).toMatchObject({ state: "off", message: PROVISIONING_OFF_NOTICE, runners: null });
  });

  it("names the setting to fix when a kubeconfig is unusable", () => {
    expect(() => loadKubeConfig({ kind: "kubeconfig", paths: ["/nonexistent/kubeconfig"] })).toThrow(
      new KubeConfigError("KUBECONFIG names a file that does not exist: /nonexistent/kubeconfig"),
    );
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "kc-")), "config");
    writeFileSync(
      file,
      "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://10.0.0.1'}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: ctx, context: {cluster: c, user: u}}]\ncurrent-context: ctx\n",
    );
    expect(loadKubeConfig({ kind: "kubeconfig", paths: [file] }).getCurrentCluster()?.server).toBe("https://10.0.0.1");
    expect(() => loadKubeConfig({ kind: "kubeconfig", paths: [file], context: "prod" })).toThrow(/KUBE_CONTEXT "prod" is not a context/);
  });
});
