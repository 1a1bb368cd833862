// The name a person reads for each cluster setting, by its path in ClusterSettings; shared by the
// form, the preview and the history so that one setting has one name everywhere.

export const SETTING_LABELS: Record<string, string> = {
  gpuResourceName: "GPU resource name",
  gpuClasses: "GPU classes",
  defaultGpuClass: "Default GPU class",
  defaultRunnerImage: "Default runner image",
  dindImage: "Docker-in-docker image",
  "controllerServiceAccount.name": "Controller service account",
  "controllerServiceAccount.namespace": "Controller namespace",
  chartVersion: "ARC chart version",
  secretNameTemplate: "Secret name rule",
  maxRunnersCeiling: "Most runners per scale set",
  maxGpusPerRunner: "Most GPUs per runner",
  teamMaxRunners: "Most runners per team",
  teamMaxGpus: "Most GPUs per team",
  allowCreateNamespace: "Portal may create namespaces",
  reservedNamespaces: "Reserved namespaces",
};

/** A class's row in the history and preview is "gpuClasses.<name>" (see lib/clusters/settings-diff.ts). */
export const settingLabel = (path: string) =>
  SETTING_LABELS[path] ?? (path.startsWith("gpuClasses.") ? `GPU class "${path.slice("gpuClasses.".length)}"` : path);
