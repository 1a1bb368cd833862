import { z } from "zod";
import {
  DNS_SUBDOMAIN,
  DNS_SUBDOMAIN_MAX,
  EXTENDED_RESOURCE_NAME,
  IMAGE_REFERENCE,
  IMAGE_REFERENCE_MAX,
  RFC1123_LABEL,
} from "./kube-names";

// Cluster-wide settings the rendering core reads. Today they come from the environment;
// the fleet issue moves them into the database per cluster, validated by this same schema.

const imageReference = z
  .string()
  .max(IMAGE_REFERENCE_MAX, `must be at most ${IMAGE_REFERENCE_MAX} characters`)
  .regex(IMAGE_REFERENCE, "must be a container image reference such as ghcr.io/org/image:tag");

const toleration = z.object({
  key: z.string().optional(),
  operator: z.enum(["Equal", "Exists"]).optional(),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
  tolerationSeconds: z.number().int().optional(),
});

/** Where pods that request GPUs may be scheduled. */
export const gpuPlacementSchema = z.object({
  nodeSelector: z.record(z.string(), z.string()),
  tolerations: z.array(toleration),
});

/** A kind of GPU node a request may pick (MI300X pool, MI250 pool, …), each with its own placement. */
export const gpuClassSchema = gpuPlacementSchema.extend({
  name: z
    .string()
    .max(63, "must be at most 63 characters")
    .regex(RFC1123_LABEL, "must be lowercase letters, digits and '-', starting and ending with a letter or digit"),
  description: z.string().max(200, "must be at most 200 characters").optional(),
});

/**
 * Namespaces no request may use on the cluster besides kube-* and default (the schema refuses those
 * everywhere) and the controller's: other system software's. Admins edit the list per cluster.
 */
const DEFAULT_RESERVED_NAMESPACES = ["cert-manager", "ingress-nginx", "monitoring", "gpu-operator", "amd-gpu-operator", "local-path-storage"];

/** Settings stored before GPU classes (one `gpuPlacement`) read as one class named "default". */
const LEGACY_GPU_CLASS = "default";

function upgradeLegacySettings(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const { gpuPlacement, ...rest } = input as Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest };
  if (!("gpuClasses" in out) && gpuPlacement !== undefined) {
    const placement = (typeof gpuPlacement === "object" && gpuPlacement !== null ? gpuPlacement : {}) as Record<string, unknown>;
    out.gpuClasses = [{ name: LEGACY_GPU_CLASS, ...placement }];
    out.defaultGpuClass ??= LEGACY_GPU_CLASS;
  }
  // No team ceilings before they existed.
  if (!("teamMaxRunners" in out)) out.teamMaxRunners = null;
  if (!("teamMaxGpus" in out)) out.teamMaxGpus = null;
  // Stored before namespaces were reserved: the default list.
  if (!("reservedNamespaces" in out)) out.reservedNamespaces = DEFAULT_RESERVED_NAMESPACES;
  return out;
}

const teamCeiling = (max: number) =>
  z
    .number({ error: "must be a whole number, or empty for no ceiling" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(max, `must be at most ${max}`)
    .nullable();

const LONGEST_LABEL = "x".repeat(45);

const clusterSettingsObject = z.object({
  /** The one gha-runner-scale-set-controller of the cluster; each scale set's manager Role is bound to it. */
  controllerServiceAccount: z.object({
    name: z
      .string()
      .max(DNS_SUBDOMAIN_MAX, `must be at most ${DNS_SUBDOMAIN_MAX} characters`)
      .regex(DNS_SUBDOMAIN, "must be a Kubernetes name: lowercase letters, digits, '-' and '.'"),
    namespace: z
      .string()
      .max(63, "must be at most 63 characters")
      .regex(RFC1123_LABEL, "must be a namespace name: lowercase letters, digits and '-'"),
  }),
  /**
   * Name of each scale set's GitHub App Secret; `{label}` is replaced by the runner label.
   * Per-scale-set names let several teams share a namespace without overwriting each
   * other's credentials (the production files put two apps' scale sets in one namespace).
   */
  secretNameTemplate: z
    .string()
    .refine((t) => t.includes("{label}"), "must contain {label}, so that each scale set has its own Secret")
    .refine(
      (t) => {
        const longest = t.replaceAll("{label}", LONGEST_LABEL);
        return longest.length <= DNS_SUBDOMAIN_MAX && DNS_SUBDOMAIN.test(longest);
      },
      "must give a Kubernetes name for every label: lowercase letters, digits, '-', '.' and {label}",
    ),
  defaultRunnerImage: imageReference,
  dindImage: imageReference,
  gpuResourceName: z
    .string()
    .regex(EXTENDED_RESOURCE_NAME, "must be an extended resource name such as amd.com/gpu"),
  /** The controller deletes scale sets whose app.kubernetes.io/version label differs from its own major.minor. */
  chartVersion: z.string().regex(/^\d+\.\d+\.\d+$/, "must be a chart version such as 0.14.2"),
  maxRunnersCeiling: z
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(1000, "must be at most 1000"),
  maxGpusPerRunner: z
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(64, "must be at most 64"),
  allowCreateNamespace: z.boolean({ error: "must be true or false (or 1/0, yes/no)" }),
  reservedNamespaces: z
    .array(
      z.string().max(63, "must be at most 63 characters").regex(RFC1123_LABEL, "must be namespace names: lowercase letters, digits and '-'"),
      { error: "must be a list of namespace names" },
    )
    .max(100, "must be at most 100 namespaces"),
  /** Sum of maxRunners over one team's approved scale sets on the cluster; null: no ceiling. */
  teamMaxRunners: teamCeiling(100_000),
  /** Sum of maxRunners × GPUs per runner over one team's approved scale sets on the cluster; null: no ceiling. */
  teamMaxGpus: teamCeiling(1_000_000),
  gpuClasses: z
    .array(gpuClassSchema, { error: "must be a list of GPU classes" })
    .min(1, "must name at least one GPU class")
    .max(20, "must be at most 20 GPU classes"),
  /** The class of requests that do not pick one. */
  defaultGpuClass: z.string({ error: "must name one of the GPU classes" }),
});

/** Accepts the stored shapes of every version (see upgradeLegacySettings); gives the current one. */
export const clusterSettingsSchema = z.preprocess(
  upgradeLegacySettings,
  clusterSettingsObject.superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.gpuClasses.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: "custom", path: ["gpuClasses", i, "name"], message: `must be unique; "${c.name}" is used twice` });
      seen.add(c.name);
    });
    if (!seen.has(s.defaultGpuClass)) {
      ctx.addIssue({ code: "custom", path: ["defaultGpuClass"], message: `must name one of the GPU classes (${[...seen].join(", ")})` });
    }
  }),
);

export type ClusterSettings = z.infer<typeof clusterSettingsObject>;
export type GpuPlacement = z.infer<typeof gpuPlacementSchema>;
export type GpuClass = z.infer<typeof gpuClassSchema>;

/**
 * The class a request runs on: the one it names, else the cluster's default. A name the
 * cluster no longer has (removed since the request was validated) also gives the default.
 */
export function gpuClassFor(settings: ClusterSettings, name: string | undefined): GpuClass {
  const byName = (n: string | undefined) => settings.gpuClasses.find((c) => c.name === n);
  return byName(name) ?? byName(settings.defaultGpuClass) ?? settings.gpuClasses[0]!;
}

export const defaultClusterSettings: ClusterSettings = {
  controllerServiceAccount: { name: "arc-gha-rs-controller", namespace: "arc" },
  // The name chart 0.14.2 itself gives a Secret it creates from inline credentials.
  secretNameTemplate: "{label}-gha-rs-github-secret",
  // The chart's default. The images in the reference files live in personal GHCR
  // namespaces under moving tags; teams that need ROCm in the image name their own.
  defaultRunnerImage: "ghcr.io/actions/actions-runner:latest",
  dindImage: "docker:dind",
  gpuResourceName: "amd.com/gpu",
  chartVersion: "0.14.2",
  maxRunnersCeiling: 20,
  // One MI300X node has eight GPUs; a pod cannot span nodes.
  maxGpusPerRunner: 8,
  // Reviewers approve the namespace with the request; creating it is part of provisioning.
  allowCreateNamespace: true,
  reservedNamespaces: DEFAULT_RESERVED_NAMESPACES,
  teamMaxRunners: null,
  teamMaxGpus: null,
  gpuClasses: [{ name: LEGACY_GPU_CLASS, nodeSelector: {}, tolerations: [] }],
  defaultGpuClass: LEGACY_GPU_CLASS,
};

/** The Secret holding the GitHub App credentials of the scale set with this label. */
export function githubSecretName(settings: ClusterSettings, label: string): string {
  return settings.secretNameTemplate.replaceAll("{label}", label);
}

export class ClusterSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid cluster settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ClusterSettingsError";
  }
}

const ENV_BY_PATH: Record<string, string> = {
  "controllerServiceAccount.name": "ARC_CONTROLLER_SERVICE_ACCOUNT",
  "controllerServiceAccount.namespace": "ARC_CONTROLLER_NAMESPACE",
  secretNameTemplate: "ARC_SECRET_NAME_TEMPLATE",
  defaultRunnerImage: "ARC_DEFAULT_RUNNER_IMAGE",
  dindImage: "ARC_DIND_IMAGE",
  gpuResourceName: "ARC_GPU_RESOURCE",
  chartVersion: "ARC_CHART_VERSION",
  maxRunnersCeiling: "ARC_MAX_RUNNERS_CEILING",
  maxGpusPerRunner: "ARC_MAX_GPUS_PER_RUNNER",
  allowCreateNamespace: "ARC_ALLOW_CREATE_NAMESPACE",
  reservedNamespaces: "ARC_RESERVED_NAMESPACES",
};

const TRUE_WORDS = new Set(["1", "true", "yes"]);
const FALSE_WORDS = new Set(["0", "false", "no"]);

/**
 * Cluster settings from ARC_* environment variables; unset or blank ones take the defaults.
 * Throws ClusterSettingsError naming each bad variable and what it should be.
 */
export function clusterSettingsFromEnv(env: Record<string, string | undefined>): ClusterSettings {
  const text = (name: string) => env[name]?.trim() || undefined;
  const whole = (name: string) => {
    const value = text(name);
    return value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  };
  const flag = (name: string) => {
    const value = text(name)?.toLowerCase();
    if (value === undefined) return undefined;
    return TRUE_WORDS.has(value) ? true : FALSE_WORDS.has(value) ? false : value;
  };
  const list = (name: string) => text(name)?.split(",").map((x) => x.trim()).filter(Boolean);
  const d = defaultClusterSettings;
  const result = clusterSettingsSchema.safeParse({
    controllerServiceAccount: {
      name: text("ARC_CONTROLLER_SERVICE_ACCOUNT") ?? d.controllerServiceAccount.name,
      namespace: text("ARC_CONTROLLER_NAMESPACE") ?? d.controllerServiceAccount.namespace,
    },
    secretNameTemplate: text("ARC_SECRET_NAME_TEMPLATE") ?? d.secretNameTemplate,
    defaultRunnerImage: text("ARC_DEFAULT_RUNNER_IMAGE") ?? d.defaultRunnerImage,
    dindImage: text("ARC_DIND_IMAGE") ?? d.dindImage,
    gpuResourceName: text("ARC_GPU_RESOURCE") ?? d.gpuResourceName,
    chartVersion: text("ARC_CHART_VERSION") ?? d.chartVersion,
    maxRunnersCeiling: whole("ARC_MAX_RUNNERS_CEILING") ?? d.maxRunnersCeiling,
    maxGpusPerRunner: whole("ARC_MAX_GPUS_PER_RUNNER") ?? d.maxGpusPerRunner,
    allowCreateNamespace: flag("ARC_ALLOW_CREATE_NAMESPACE") ?? d.allowCreateNamespace,
    reservedNamespaces: list("ARC_RESERVED_NAMESPACES") ?? d.reservedNamespaces,
    teamMaxRunners: d.teamMaxRunners,
    teamMaxGpus: d.teamMaxGpus,
    gpuClasses: d.gpuClasses,
    defaultGpuClass: d.defaultGpuClass,
  });
  if (!result.success) {
    throw new ClusterSettingsError(
      result.error.issues.map((issue) => {
        const path = issue.path.filter((p) => typeof p === "string").join(".");
        return `${ENV_BY_PATH[path] ?? path} ${issue.message}`;
      }),
    );
  }
  return result.data;
}
