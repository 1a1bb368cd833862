import type { KubeObject } from "./kube-types";
import { scaleSetObjectNames } from "./object-names";
import { isPlainObject, type ValuesData } from "./overlay";
import type { ClusterSettings } from "./settings";
import type { HelmValues } from "./values";
import { valuesHash } from "./values-hash";
import { plainData } from "@/lib/plain-data";

// The objects chart gha-runner-scale-set 0.14.2 renders from ANY values file the portal can
// hold, not only the ones its form renders: an imported scale set's values carry an overlay
// (a pre-defined Secret, no maxRunners, extra containers and volumes, another service
// account). For values rendered from the form this gives exactly renderManifests' objects
// (lib/arc/manifests-from-values.test.ts checks it against the helm template fixtures).

const CLEANUP_FINALIZER = "actions.github.com/cleanup-protection";

/** Top-level values keys this renderer follows as the chart does. */
const SUPPORTED_KEYS = new Set([
  "githubConfigUrl",
  "githubConfigSecret",
  "runnerScaleSetName",
  "runnerGroup",
  "minRunners",
  "maxRunners",
  "controllerServiceAccount",
  "annotations",
  "template",
]);

/**
 * Values keys the portal cannot apply as the chart would (proxy, githubServerTLS,
 * listenerTemplate, containerMode, …), so that an import says so instead of dropping them.
 */
export function unsupportedValuesKeys(values: ValuesData): string[] {
  const keys = Object.keys(values).filter((key) => !SUPPORTED_KEYS.has(key));
  if (values.githubConfigSecret !== undefined && typeof values.githubConfigSecret !== "string") {
    keys.push("githubConfigSecret (inline credentials)");
  }
  return keys;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function stringMap(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

/**
 * The chart's common labels minus Helm's own (helm.sh/chart, app.kubernetes.io/managed-by), on
 * every object of a scale set and on its GitHub App Secret. The controller deletes an
 * AutoscalingRunnerSet whose app.kubernetes.io/version is missing or not its own major.minor.
 */
export function commonLabels(name: string, namespace: string, settings: Pick<ClusterSettings, "chartVersion">): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/version": settings.chartVersion,
    "app.kubernetes.io/part-of": "gha-rs",
    "actions.github.com/scale-set-name": name,
    "actions.github.com/scale-set-namespace": namespace,
  };
}

/** ServiceAccount (unless the template names its own), Role, RoleBinding and AutoscalingRunnerSet. */
export function manifestsFromValues(
  values: ValuesData,
  where: { label: string; namespace: string },
  settings: Pick<ClusterSettings, "chartVersion">,
): KubeObject[] {
  const unsupported = unsupportedValuesKeys(values);
  if (unsupported.length > 0) {
    throw new Error(`The portal cannot apply these values as the chart would: ${unsupported.join(", ")}`);
  }
  // The chart names everything after runnerScaleSetName, defaulting to the release name.
  const name = typeof values.runnerScaleSetName === "string" && values.runnerScaleSetName !== "" ? values.runnerScaleSetName : where.label;
  const { namespace } = where;
  const names = scaleSetObjectNames(name);
  const template = isPlainObject(values.template) ? values.template : {};
  const podSpec = isPlainObject(template.spec) ? template.spec : {};
  const ownServiceAccount = typeof podSpec.serviceAccountName === "string" && podSpec.serviceAccountName !== "";
  const annotations = () => stringMap(values.annotations);
  const labels = () => commonLabels(name, namespace, settings);
  const controller = isPlainObject(values.controllerServiceAccount) ? values.controllerServiceAccount : {};

  const objects: KubeObject[] = [];
  if (!ownServiceAccount) {
    objects.push({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        name: names.noPermissionServiceAccount,
        namespace,
        labels: labels(),
        annotations: annotations(),
        finalizers: [CLEANUP_FINALIZER],
      },
    });
  }
  objects.push({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: {
      name: names.managerRole,
      namespace,
      labels: { ...labels(), "app.kubernetes.io/component": "manager-role" },
      annotations: annotations(),
      finalizers: [CLEANUP_FINALIZER],
    },
    rules: managerRules(),
  });
  objects.push({
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
    subjects: [{ kind: "ServiceAccount", name: String(controller.name), namespace: String(controller.namespace) }],
  });

  const spec: Record<string, unknown> = {
    githubConfigUrl: values.githubConfigUrl,
    githubConfigSecret: values.githubConfigSecret,
    ...(typeof values.runnerGroup === "string" && values.runnerGroup !== "" ? { runnerGroup: values.runnerGroup } : {}),
    runnerScaleSetName: name,
    ...(isNumber(values.maxRunners) ? { maxRunners: Math.trunc(values.maxRunners) } : {}),
    ...(isNumber(values.minRunners) ? { minRunners: Math.trunc(values.minRunners) } : {}),
    template: {
      ...(isPlainObject(template.metadata) ? { metadata: plainData(template.metadata) } : {}),
      spec: {
        ...plainData(podSpec),
        ...(podSpec.restartPolicy ? {} : { restartPolicy: "Never" }),
        serviceAccountName: ownServiceAccount ? podSpec.serviceAccountName : names.noPermissionServiceAccount,
      },
    },
  };
  const cleanup: Record<string, string> = {
    "actions.github.com/cleanup-manager-role-binding": names.managerRoleBinding,
    "actions.github.com/cleanup-manager-role-name": names.managerRole,
    ...(ownServiceAccount ? {} : { "actions.github.com/cleanup-no-permission-service-account-name": names.noPermissionServiceAccount }),
  };
  objects.push({
    apiVersion: "actions.github.com/v1alpha1",
    kind: "AutoscalingRunnerSet",
    metadata: {
      name,
      namespace,
      labels: { "app.kubernetes.io/component": "autoscaling-runner-set", ...labels() },
      annotations: { ...annotations(), "actions.github.com/values-hash": valuesHash(values as HelmValues), ...cleanup },
    },
    spec,
  });
  return objects;
}

function managerRules() {
  const core = (resources: string[], verbs: string[]) => ({ apiGroups: [""], resources, verbs });
  const rbac = (resources: string[]) => ({
    apiGroups: ["rbac.authorization.k8s.io"],
    resources,
    verbs: ["create", "delete", "get", "patch", "update"],
  });
  const crud = ["create", "delete", "get", "list", "patch", "update"];
  return [
    core(["pods"], ["create", "delete", "get"]),
    core(["pods/status"], ["get"]),
    core(["secrets"], [...crud]),
    core(["serviceaccounts"], [...crud]),
    rbac(["rolebindings"]),
    rbac(["roles"]),
  ];
}
