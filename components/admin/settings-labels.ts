// The name a person reads for each cluster setting, by its path in ClusterSettings; shared by the
// form, the preview and the history so that one setting has one name everywhere.

export const SETTING_LABELS: Record<string, string> = {
  gpuResourceName: "GPU resource name",
  "gpuPlacement.nodeSelector": "GPU node selector",
  "gpuPlacement.tolerations": "GPU tolerations",
  defaultRunnerImage: "Default runner image",
  dindImage: "Docker-in-docker image",
  "controllerServiceAccount.name": "Controller service account",
  "controllerServiceAccount.namespace": "Controller namespace",
  chartVersion: "ARC chart version",
  secretNameTemplate: "Secret name rule",
  maxRunnersCeiling: "Most runners per scale set",
  maxGpusPerRunner: "Most GPUs per runner",
  allowCreateNamespace: "Portal may create namespaces",
};

export const settingLabel = (path: string) => SETTING_LABELS[path] ?? path;
