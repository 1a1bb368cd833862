import type { KubeObject } from "./kube-types";
import type { ScaleSetSpec } from "./scale-set-spec";
import { githubSecretName, type ClusterSettings } from "./settings";
import { renderValues } from "./values";
import { valuesHash } from "./values-hash";

// The objects `helm template <label> gha-runner-scale-set -n <namespace> -f values.yaml`
// renders with chart 0.14.2 for our values file, without Helm's own labels (helm.sh/chart,
// app.kubernetes.io/managed-by). The provisioning job applies these, and the GitHub App
// Secret, with server-side apply. lib/arc/__golden__/helm-template-*.yaml holds helm's output.

const CLEANUP_FINALIZER = "actions.github.com/cleanup-protection";

/** Names the chart derives from the scale-set name (its "fullname" is `<name>-gha-rs`). */
export function scaleSetObjectNames(label: string) {
  const fullname = `${label}-gha-rs`;
  return {
    autoscalingRunnerSet: label,
    noPermissionServiceAccount: `${fullname}-no-permission`,
    managerRole: `${fullname}-manager`,
    managerRoleBinding: `${fullname}-manager`,
  };
}

/**
 * The chart's common labels minus Helm's own. The controller deletes an AutoscalingRunnerSet
 * whose app.kubernetes.io/version is missing or not its own major.minor.
 */
function commonLabels(spec: Pick<ScaleSetSpec, "label" | "namespace">, settings: ClusterSettings): Record<string, string> {
  return {
    "app.kubernetes.io/name": spec.label,
    "app.kubernetes.io/instance": spec.label,
    "app.kubernetes.io/version": settings.chartVersion,
    "app.kubernetes.io/part-of": "gha-rs",
    "actions.github.com/scale-set-name": spec.label,
    "actions.github.com/scale-set-namespace": spec.namespace,
  };
}

const MANAGER_RULES = [
  { apiGroups: [""], resources: ["pods"], verbs: ["create", "delete", "get"] },
  { apiGroups: [""], resources: ["pods/status"], verbs: ["get"] },
  { apiGroups: [""], resources: ["secrets"], verbs: ["create", "delete", "get", "list", "patch", "update"] },
  { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["create", "delete", "get", "list", "patch", "update"] },
  {
    apiGroups: ["rbac.authorization.k8s.io"],
    resources: ["rolebindings"],
    verbs: ["create", "delete", "get", "patch", "update"],
  },
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["create", "delete", "get", "patch", "update"] },
];

/** ServiceAccount, Role, RoleBinding and AutoscalingRunnerSet, in the order Helm installs them. */
export function renderManifests(spec: ScaleSetSpec, settings: ClusterSettings): KubeObject[] {
  const values = renderValues(spec, settings);
  const names = scaleSetObjectNames(spec.label);
  const namespace = spec.namespace;
  const labels = () => commonLabels(spec, settings);
  const annotations = () => ({ ...values.annotations });

  const serviceAccount: KubeObject = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: names.noPermissionServiceAccount,
      namespace,
      labels: labels(),
      annotations: annotations(),
      finalizers: [CLEANUP_FINALIZER],
    },
  };

  const role: KubeObject = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: {
      name: names.managerRole,
      namespace,
      labels: { ...labels(), "app.kubernetes.io/component": "manager-role" },
      annotations: annotations(),
      finalizers: [CLEANUP_FINALIZER],
    },
    rules: MANAGER_RULES.map((rule) => ({
      apiGroups: [...rule.apiGroups],
      resources: [...rule.resources],
      verbs: [...rule.verbs],
    })),
  };

  const roleBinding: KubeObject = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: {
      name: names.managerRoleBinding,
      namespace,
      labels: { ...labels(), "app.kubernetes.io/component": "manager-role-binding" },
      annotations: annotations(),
      finalizers: [CLEANUP_FINALIZER],
    },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: names.managerRole },
    subjects: [{ kind: "ServiceAccount", ...values.controllerServiceAccount }],
  };

  // The cleanup-* annotations tell the controller which finalizers above are its to remove.
  const autoscalingRunnerSet: KubeObject = {
    apiVersion: "actions.github.com/v1alpha1",
    kind: "AutoscalingRunnerSet",
    metadata: {
      name: names.autoscalingRunnerSet,
      namespace,
      labels: { "app.kubernetes.io/component": "autoscaling-runner-set", ...labels() },
      annotations: {
        ...annotations(),
        "actions.github.com/values-hash": valuesHash(values),
        "actions.github.com/cleanup-manager-role-binding": names.managerRoleBinding,
        "actions.github.com/cleanup-manager-role-name": names.managerRole,
        "actions.github.com/cleanup-no-permission-service-account-name": names.noPermissionServiceAccount,
      },
    },
    spec: {
      githubConfigUrl: values.githubConfigUrl,
      githubConfigSecret: values.githubConfigSecret,
      runnerScaleSetName: values.runnerScaleSetName,
      maxRunners: values.maxRunners,
      minRunners: values.minRunners,
      template: {
        spec: {
          ...values.template.spec,
          restartPolicy: "Never",
          serviceAccountName: names.noPermissionServiceAccount,
        },
      },
    },
  };

  return [serviceAccount, role, roleBinding, autoscalingRunnerSet];
}

export type GithubAppCredentials = { appId: string; installationId: string; privateKey: string };

/**
 * The Secret the scale set's githubConfigSecret names, with the keys the controller reads.
 * `data` (base64) rather than `stringData`: stringData is write-only and never stored, so
 * server-side apply would record ownership of fields the live object does not have, a
 * removed key would linger in data, and every drift check would see a difference. With data
 * the applied object is the stored one. No finalizer: the chart does not manage this Secret,
 * and the controller still needs it while it cleans up a deleted scale set.
 */
export function githubAppSecret(
  spec: Pick<ScaleSetSpec, "label" | "namespace">,
  settings: ClusterSettings,
  credentials: GithubAppCredentials,
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: githubSecretName(settings, spec.label),
      namespace: spec.namespace,
      labels: commonLabels(spec, settings),
    },
    type: "Opaque",
    data: {
      github_app_id: base64(credentials.appId),
      github_app_installation_id: base64(credentials.installationId),
      github_app_private_key: base64(credentials.privateKey),
    },
  };
}

/** Base64 of the UTF-8 bytes, with browser APIs only (this module also runs in the form). */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
