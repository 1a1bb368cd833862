// The shapes of the Kubernetes objects the rendering core produces: only the fields it sets.

import type { GpuPlacement } from "./settings";

export type Toleration = GpuPlacement["tolerations"][number];

export type EnvVar = { name: string; value: string };
export type VolumeMount = { name: string; mountPath: string };
export type ResourceAmounts = Record<string, string | number>;

export type Container = {
  name: string;
  image: string;
  /** Only on init containers: "Always" makes a native sidecar. */
  restartPolicy?: "Always";
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  securityContext?: { privileged: boolean };
  startupProbe?: { exec: { command: string[] }; periodSeconds: number; failureThreshold: number };
  resources?: { requests: ResourceAmounts; limits: ResourceAmounts };
  volumeMounts?: VolumeMount[];
};

export type Volume = { name: string; emptyDir: Record<string, never> };

export type PodSpec = {
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  restartPolicy?: "Never";
  serviceAccountName?: string;
  initContainers?: Container[];
  containers: Container[];
  volumes?: Volume[];
};

export type ObjectMeta = {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
};

export type KubeObject = { apiVersion: string; kind: string; metadata: ObjectMeta } & Record<string, unknown>;
