// The rendering core: request + cluster settings → Helm values, Kubernetes objects, sample
// workflow. Pure functions without I/O; they also run in the browser for the live preview.

export * from "./kube-names";
export type * from "./kube-types";
export { githubAppSecret, renderManifests, scaleSetObjectNames, type GithubAppCredentials } from "./manifests";
export { runnerPodSpec, RENDER_DEVICES_FILE } from "./pod-template";
export { cpuMillicores, memoryBytes } from "./quantity";
export type { ScaleSetSpec } from "./scale-set-spec";
export {
  ClusterSettingsError,
  clusterSettingsFromEnv,
  clusterSettingsSchema,
  defaultClusterSettings,
  githubSecretName,
  gpuClassFor,
  gpuClassSchema,
  gpuPlacementSchema,
  type ClusterSettings,
  type GpuClass,
  type GpuPlacement,
} from "./settings";
export { suggestSizing, RUNNER_STARTUP_MINUTES, type SizingSuggestion } from "./sizing";
export { CONTACT_ANNOTATION, renderValues, renderValuesYaml, TEAM_ANNOTATION, type HelmValues } from "./values";
export { valuesHash } from "./values-hash";
export { renderWorkflowYaml } from "./workflow";
export { multiDocumentYaml } from "./yaml";
