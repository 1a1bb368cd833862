import "server-only";
import type { KubernetesObject } from "@kubernetes/client-node";
import { importValues, type ImportHints, type ValuesImport } from "@/lib/arc/import-values";
import { scaleSetObjectNames } from "@/lib/arc/manifests";
import { isPlainObject, type ValuesData } from "@/lib/arc/overlay";
import type { ClusterSettings } from "@/lib/arc/settings";
import type { Kube } from "@/lib/kube/client";
import { isNotFound } from "@/lib/kube/errors";
import { FIELD_MANAGER } from "@/lib/provision/kube-objects";
import { plainData } from "@/lib/plain-data";

// Scale sets already running on a cluster that the portal did not create (installed by hand
// with helm from values files), listed and turned into importable requests. Only reads: the
// cluster is not changed by listing or importing; the portal takes a scale set over when a
// reviewer first re-applies it (an explicit, recorded take-over: lib/provision/run.ts).


const ARS = { apiVersion: "actions.github.com/v1alpha1", kind: "AutoscalingRunnerSet" } as const;

type ManagedField = { manager?: string; operation?: string; subresource?: string; fieldsV1?: Record<string, unknown> };

export type LiveAutoscalingRunnerSet = KubernetesObject & {
  metadata: KubernetesObject["metadata"] & { managedFields?: ManagedField[] };
  spec?: Record<string, unknown>;
  status?: { currentRunners?: number; phase?: string };
};

/** A scale set on the cluster, as the import list shows it. */
export type UnmanagedScaleSet = {
  namespace: string;
  name: string;
  /** The runs-on: label. */
  label: string;
  githubConfigUrl?: string;
  minRunners?: number;
  maxRunners?: number;
  currentRunners?: number;
  /** The runner container's image. */
  image?: string;
  /** Who wrote it (field managers), e.g. "helm". */
  managers: string[];
  /** "helm" when Helm installed it (its labels, annotations or field manager say so), else its field managers. */
  installedBy: string;
  /** The Helm release it came from, when helm installed it. */
  helmRelease?: string;
  createdAt?: string;
};

/** Scale sets the portal knows already: by namespace and label on this cluster. */
export type KnownScaleSet = { namespace: string; label: string };

function managedByPortal(ars: LiveAutoscalingRunnerSet): boolean {
  return (ars.metadata.managedFields ?? []).some((m) => m.manager === FIELD_MANAGER);
}

/** Who wrote the spec (helm, kubectl, …), not the controller, which only adds metadata and status. */
function specManagers(ars: LiveAutoscalingRunnerSet): string[] {
  const writers = (ars.metadata.managedFields ?? []).filter((m) => !m.subresource && m.fieldsV1 && "f:spec" in m.fieldsV1);
  return [...new Set(writers.map((m) => m.manager ?? "").filter((m) => m && m !== FIELD_MANAGER))];
}

/** Helm's marks on an object: its release annotation, its managed-by label, or its field manager. */
function installedBy(ars: LiveAutoscalingRunnerSet, managers: string[]): string {
  const helm =
    ars.metadata.annotations?.["meta.helm.sh/release-name"] !== undefined ||
    ars.metadata.labels?.["app.kubernetes.io/managed-by"] === "Helm" ||
    managers.includes("helm");
  return helm ? "helm" : managers.length > 0 ? managers.join(", ") : "unknown";
}

function runnerImage(ars: LiveAutoscalingRunnerSet): string | undefined {
  const template = ars.spec?.template;
  const pod = isPlainObject(template) && isPlainObject(template.spec) ? template.spec : undefined;
  const containers = Array.isArray(pod?.containers) ? pod.containers.filter(isPlainObject) : [];
  const runner = containers.find((c) => c.name === "runner") ?? containers[0];
  return typeof runner?.image === "string" ? runner.image : undefined;
}

function labelOf(ars: LiveAutoscalingRunnerSet): string {
  const name = ars.spec?.runnerScaleSetName;
  return typeof name === "string" && name !== "" ? name : (ars.metadata.name ?? "");
}

const num = (v: unknown) => (typeof v === "number" ? v : undefined);

/**
 * AutoscalingRunnerSets in every namespace that the portal neither applied (no field manager
 * of its own) nor knows from a request on this cluster, sorted by namespace and name.
 */
export async function listUnmanagedScaleSets(kube: Kube, known: KnownScaleSet[]): Promise<UnmanagedScaleSet[]> {
  const list = await kube.objects.list<LiveAutoscalingRunnerSet>(ARS.apiVersion, ARS.kind);
  const knownKeys = new Set(known.map((k) => `${k.namespace}/${k.label}`));
  return list.items
    .filter((ars) => !managedByPortal(ars) && !knownKeys.has(`${ars.metadata.namespace}/${labelOf(ars)}`))
    .map((ars) => {
      const managers = [...new Set((ars.metadata.managedFields ?? []).map((m) => m.manager ?? "?"))];
      return {
        namespace: ars.metadata.namespace ?? "",
        name: ars.metadata.name ?? "",
        label: labelOf(ars),
        githubConfigUrl: typeof ars.spec?.githubConfigUrl === "string" ? ars.spec.githubConfigUrl : undefined,
        minRunners: num(ars.spec?.minRunners),
        maxRunners: num(ars.spec?.maxRunners),
        currentRunners: num(ars.status?.currentRunners),
        image: runnerImage(ars),
        managers,
        installedBy: installedBy(ars, managers),
        helmRelease: ars.metadata.annotations?.["meta.helm.sh/release-name"],
        createdAt: ars.metadata.creationTimestamp ? new Date(ars.metadata.creationTimestamp).toISOString() : undefined,
      };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

// Keys the chart (or kubectl) puts on every object itself; anything else came from the values.
const CHART_ANNOTATION = /^(actions\.github\.com\/|meta\.helm\.sh\/|kubectl\.kubernetes\.io\/last-applied-configuration$)/;
const CHART_LABELS = new Set([
  "app.kubernetes.io/name",
  "app.kubernetes.io/instance",
  "app.kubernetes.io/version",
  "app.kubernetes.io/part-of",
  "app.kubernetes.io/component",
  "app.kubernetes.io/managed-by",
  "helm.sh/chart",
  "actions.github.com/scale-set-name",
  "actions.github.com/scale-set-namespace",
]);

// Spec fields the chart fills from values of the same name.
const SPEC_FROM_VALUES_OF_SAME_NAME = new Set(["githubConfigUrl", "githubConfigSecret", "runnerScaleSetName", "minRunners", "maxRunners", "template"]);

/**
 * The Helm values that give this AutoscalingRunnerSet (the chart's work undone): its spec,
 * without the template defaults the chart adds, its own annotations and labels, and the
 * controller its manager RoleBinding names.
 */
export function valuesFromLive(
  ars: LiveAutoscalingRunnerSet,
  controllerServiceAccount: { name: string; namespace: string },
): ValuesData {
  const spec = ars.spec ?? {};
  const names = scaleSetObjectNames(ars.metadata.name ?? "");
  const values: ValuesData = {};
  for (const key of SPEC_FROM_VALUES_OF_SAME_NAME) if (spec[key] !== undefined) values[key] = plainData(spec[key]);
  // runnerGroup, proxy, githubServerTLS, listenerTemplate, …: the chart copies these values to the spec as they are.
  for (const [key, value] of Object.entries(spec)) if (!(key in values)) values[key] = plainData(value);
  values.controllerServiceAccount = { ...controllerServiceAccount };

  const podSpec = isPlainObject(values.template) && isPlainObject(values.template.spec) ? values.template.spec : undefined;
  if (podSpec) {
    if (podSpec.restartPolicy === "Never") delete podSpec.restartPolicy;
    if (podSpec.serviceAccountName === names.noPermissionServiceAccount) delete podSpec.serviceAccountName;
  }

  const annotations = Object.fromEntries(
    Object.entries(ars.metadata.annotations ?? {}).filter(([key]) => !CHART_ANNOTATION.test(key)),
  );
  if (Object.keys(annotations).length > 0) values.annotations = annotations;
  const labels = Object.fromEntries(Object.entries(ars.metadata.labels ?? {}).filter(([key]) => !CHART_LABELS.has(key)));
  if (Object.keys(labels).length > 0) values.labels = labels;
  return values;
}

export type LiveImport = ValuesImport & {
  /** The values read back from the cluster: what the import must render to. */
  values: ValuesData;
  /** Where the controller service account came from. */
  controllerFrom: "role-binding" | "cluster-settings";
  /** Who wrote the AutoscalingRunnerSet's spec (field managers), e.g. ["helm"]: what the first re-apply takes it over from. */
  managers: string[];
  /** The runs-on label (runnerScaleSetName, else the object's name). */
  label: string;
  /** The portal applied it itself (its field manager is among the object's). */
  managedByPortal: boolean;
};

export class LiveScaleSetNotFound extends Error {
  constructor(namespace: string, name: string) {
    super(`There is no AutoscalingRunnerSet "${name}" in namespace "${namespace}" on this cluster.`);
    this.name = "LiveScaleSetNotFound";
  }
}

/** Reads one live scale set and maps it onto the form's fields plus an overlay. Reads only. */
export async function importLiveScaleSet(
  kube: Kube,
  settings: ClusterSettings,
  where: { namespace: string; name: string },
  hints: ImportHints = {},
): Promise<LiveImport> {
  let ars: LiveAutoscalingRunnerSet;
  try {
    ars = await kube.objects.read<LiveAutoscalingRunnerSet>({ ...ARS, metadata: where });
  } catch (err) {
    if (isNotFound(err)) throw new LiveScaleSetNotFound(where.namespace, where.name);
    throw err;
  }
  const { controller, from } = await controllerOf(kube, where.namespace, where.name, settings);
  const values = valuesFromLive(ars, controller);
  const imported = importValues(values, settings, { namespace: where.namespace, label: labelOf(ars), ...hints });
  return { ...imported, values, controllerFrom: from, managers: specManagers(ars), label: labelOf(ars), managedByPortal: managedByPortal(ars) };
}

type RoleBinding = KubernetesObject & { subjects?: { kind?: string; name?: string; namespace?: string }[] };

/** The controller the scale set's manager RoleBinding binds, else the cluster's setting. */
async function controllerOf(kube: Kube, namespace: string, name: string, settings: ClusterSettings) {
  try {
    const binding = await kube.objects.read<RoleBinding>({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { namespace, name: scaleSetObjectNames(name).managerRoleBinding },
    });
    const subject = binding.subjects?.find((s) => s.kind === "ServiceAccount" && s.name && s.namespace);
    if (subject?.name && subject.namespace) {
      return { controller: { name: subject.name, namespace: subject.namespace }, from: "role-binding" as const };
    }
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return { controller: { ...settings.controllerServiceAccount }, from: "cluster-settings" as const };
}
