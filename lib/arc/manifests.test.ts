import { describe, expect, it } from "vitest";
import { goldenRequest } from "./__golden__/load";
import type { KubeObject } from "./kube-types";
import { githubAppSecret, renderManifests, scaleSetObjectNames } from "./manifests";
import { defaultClusterSettings } from "./settings";
import { renderValues } from "./values";
import { valuesHash } from "./values-hash";

const dind = goldenRequest("dind");

function byKind(objects: KubeObject[], kind: string): KubeObject {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind}`);
  return found;
}

describe("renderManifests", () => {
  const objects = renderManifests(dind, defaultClusterSettings);
  const ars = byKind(objects, "AutoscalingRunnerSet");

  it("renders the chart's four objects in Helm's install order, in the request's namespace", () => {
    expect(objects.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([
      ["ServiceAccount", "linux-mi300-gpu-1-gha-rs-no-permission", "arc-rocm"],
      ["Role", "linux-mi300-gpu-1-gha-rs-manager", "arc-rocm"],
      ["RoleBinding", "linux-mi300-gpu-1-gha-rs-manager", "arc-rocm"],
      ["AutoscalingRunnerSet", "linux-mi300-gpu-1", "arc-rocm"],
    ]);
  });

  it("labels every object with the controller's version, which it requires", () => {
    const settings = { ...defaultClusterSettings, chartVersion: "0.13.1" };
    for (const object of renderManifests(dind, settings)) {
      expect(object.metadata.labels["app.kubernetes.io/version"]).toBe("0.13.1");
      expect(object.metadata.labels["actions.github.com/scale-set-name"]).toBe("linux-mi300-gpu-1");
      expect(object.metadata.labels["actions.github.com/scale-set-namespace"]).toBe("arc-rocm");
    }
    expect(ars.metadata.labels["app.kubernetes.io/component"]).toBe("autoscaling-runner-set");
  });

  it("puts finalizers only on objects the scale set's cleanup annotations name", () => {
    const annotations = ars.metadata.annotations ?? {};
    const named = new Map([
      ["ServiceAccount", annotations["actions.github.com/cleanup-no-permission-service-account-name"]],
      ["Role", annotations["actions.github.com/cleanup-manager-role-name"]],
      ["RoleBinding", annotations["actions.github.com/cleanup-manager-role-binding"]],
    ]);
    for (const object of objects.filter((o) => o.metadata.finalizers)) {
      expect(object.metadata.finalizers).toEqual(["actions.github.com/cleanup-protection"]);
      expect(named.get(object.kind)).toBe(object.metadata.name);
    }
    expect(objects.filter((o) => o.metadata.finalizers)).toHaveLength(3);
  });

  it("binds the manager Role to the cluster's controller", () => {
    const settings = { ...defaultClusterSettings, controllerServiceAccount: { name: "ctrl", namespace: "arc-systems" } };
    const binding = byKind(renderManifests(dind, settings), "RoleBinding");
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "ctrl", namespace: "arc-systems" }]);
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "linux-mi300-gpu-1-gha-rs-manager" });
  });

  it("runs runner pods as the no-permission account, never restarting them", () => {
    const template = (ars.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(template.serviceAccountName).toBe(scaleSetObjectNames(dind.label).noPermissionServiceAccount);
    expect(template.restartPolicy).toBe("Never");
  });

  it("hashes the values so the controller restarts the listener when they change", () => {
    const annotations = ars.metadata.annotations ?? {};
    const hash = annotations["actions.github.com/values-hash"];
    expect(hash).toBe(valuesHash(renderValues(dind, defaultClusterSettings)));
    expect(hash).toMatch(/^[0-9a-f]{63}$/);
    const changed = renderManifests({ ...dind, maxRunners: 4 }, defaultClusterSettings);
    expect(byKind(changed, "AutoscalingRunnerSet").metadata.annotations?.["actions.github.com/values-hash"]).not.toBe(hash);
  });
});

describe("githubAppSecret", () => {
  const privateKey = "-----BEGIN RSA PRIVATE KEY-----\nMIIE…\n-----END RSA PRIVATE KEY-----\n";
  const secret = githubAppSecret(dind, defaultClusterSettings, { appId: "Iv23liAbCdEfGhIjKlMn", installationId: "456", privateKey });

  it("is the Secret the values file names, with the keys the controller reads, base64 in data", () => {
    expect(secret.metadata.name).toBe(renderValues(dind, defaultClusterSettings).githubConfigSecret);
    expect(secret.metadata.namespace).toBe("arc-rocm");
    expect(secret.type).toBe("Opaque");
    expect(secret.stringData).toBeUndefined();
    const data = secret.data as Record<string, string>;
    const decoded = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
    );
    expect(decoded).toEqual({
      github_app_id: "Iv23liAbCdEfGhIjKlMn",
      github_app_installation_id: "456",
      github_app_private_key: privateKey,
    });
  });

  it("has no finalizer, so deleting it never waits on the controller", () => {
    expect(secret.metadata.finalizers).toBeUndefined();
  });

  it("follows the cluster's secret naming rule", () => {
    const settings = { ...defaultClusterSettings, secretNameTemplate: "gha-app-{label}" };
    expect(githubAppSecret(dind, settings, { appId: "1", installationId: "2", privateKey }).metadata.name).toBe(
      "gha-app-linux-mi300-gpu-1",
    );
  });
});
