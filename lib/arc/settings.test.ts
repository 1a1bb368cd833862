import { describe, expect, it } from "vitest";
import {
  ClusterSettingsError,
  clusterSettingsFromEnv,
  clusterSettingsSchema,
  defaultClusterSettings,
  githubSecretName,
  gpuClassFor,
} from "./settings";

function problems(env: Record<string, string>): string[] {
  try {
    clusterSettingsFromEnv(env);
  } catch (error) {
    if (error instanceof ClusterSettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe("cluster settings", () => {
  it("defaults to the OSSCI cluster and pass their own schema", () => {
    expect(clusterSettingsSchema.parse(defaultClusterSettings)).toEqual(defaultClusterSettings);
    expect(defaultClusterSettings).toMatchObject({
      controllerServiceAccount: { name: "arc-gha-rs-controller", namespace: "arc" },
      gpuResourceName: "amd.com/gpu",
      chartVersion: "0.14.2",
      dindImage: "docker:dind",
    });
  });

  it("takes the defaults for unset and blank variables", () => {
    expect(clusterSettingsFromEnv({})).toEqual(defaultClusterSettings);
    expect(clusterSettingsFromEnv({ ARC_CHART_VERSION: "  ", ARC_DIND_IMAGE: "" })).toEqual(defaultClusterSettings);
  });

  it("reads every ARC_* variable", () => {
    const settings = clusterSettingsFromEnv({
      ARC_CONTROLLER_SERVICE_ACCOUNT: "ctrl-sa",
      ARC_CONTROLLER_NAMESPACE: "arc-systems",
      ARC_DEFAULT_RUNNER_IMAGE: "ghcr.io/ossci/runner:2",
      ARC_DIND_IMAGE: "docker:28-dind",
      ARC_GPU_RESOURCE: "nvidia.com/gpu",
      ARC_CHART_VERSION: "0.13.1",
      ARC_MAX_RUNNERS_CEILING: "40",
      ARC_MAX_GPUS_PER_RUNNER: "4",
      ARC_SECRET_NAME_TEMPLATE: "{label}-github-app",
      ARC_ALLOW_CREATE_NAMESPACE: "no",
      ARC_RESERVED_NAMESPACES: "monitoring, vault",
    });
    expect(settings).toEqual({
      controllerServiceAccount: { name: "ctrl-sa", namespace: "arc-systems" },
      defaultRunnerImage: "ghcr.io/ossci/runner:2",
      dindImage: "docker:28-dind",
      gpuResourceName: "nvidia.com/gpu",
      chartVersion: "0.13.1",
      maxRunnersCeiling: 40,
      maxGpusPerRunner: 4,
      secretNameTemplate: "{label}-github-app",
      allowCreateNamespace: false,
      reservedNamespaces: ["monitoring", "vault"],
      teamMaxRunners: null,
      teamMaxGpus: null,
      gpuClasses: [{ name: "default", nodeSelector: {}, tolerations: [] }],
      defaultGpuClass: "default",
    });
  });

  it("names each bad variable and what it must be", () => {
    expect(
      problems({
        ARC_CONTROLLER_SERVICE_ACCOUNT: "Arc_Controller",
        ARC_CONTROLLER_NAMESPACE: "arc.ns",
        ARC_DEFAULT_RUNNER_IMAGE: "not an image",
        ARC_GPU_RESOURCE: "gpu",
        ARC_CHART_VERSION: "latest",
        ARC_MAX_RUNNERS_CEILING: "twenty",
        ARC_MAX_GPUS_PER_RUNNER: "0",
        ARC_SECRET_NAME_TEMPLATE: "pre-defined-rocm-secret",
        ARC_ALLOW_CREATE_NAMESPACE: "maybe",
      }),
    ).toEqual([
      "ARC_CONTROLLER_SERVICE_ACCOUNT must be a Kubernetes name: lowercase letters, digits, '-' and '.'",
      "ARC_CONTROLLER_NAMESPACE must be a namespace name: lowercase letters, digits and '-'",
      "ARC_SECRET_NAME_TEMPLATE must contain {label}, so that each scale set has its own Secret",
      "ARC_DEFAULT_RUNNER_IMAGE must be a container image reference such as ghcr.io/org/image:tag",
      "ARC_GPU_RESOURCE must be an extended resource name such as amd.com/gpu",
      "ARC_CHART_VERSION must be a chart version such as 0.14.2",
      "ARC_MAX_RUNNERS_CEILING must be a whole number",
      "ARC_MAX_GPUS_PER_RUNNER must be at least 1",
      "ARC_ALLOW_CREATE_NAMESPACE must be true or false (or 1/0, yes/no)",
    ]);
  });

  it("rejects a secret naming rule that gives invalid names for some label", () => {
    expect(problems({ ARC_SECRET_NAME_TEMPLATE: "{label}_secret" })).toEqual([
      "ARC_SECRET_NAME_TEMPLATE must give a Kubernetes name for every label: lowercase letters, digits, '-', '.' and {label}",
    ]);
    expect(problems({ ARC_SECRET_NAME_TEMPLATE: `{label}-${"x".repeat(210)}` })).toHaveLength(1);
  });

  it("derives one Secret per scale set from its label", () => {
    expect(githubSecretName(defaultClusterSettings, "linux-mi300-gpu-1")).toBe("linux-mi300-gpu-1-gha-rs-github-secret");
    expect(githubSecretName(defaultClusterSettings, "a")).not.toBe(githubSecretName(defaultClusterSettings, "b"));
  });
});

describe("settings stored before GPU classes and team ceilings", () => {
  // The shape stored in Cluster.settings, ClusterSettingsEvent and RunnerRequest.appliedSettings until GPU classes.
  const { gpuClasses: _c, defaultGpuClass: _d, teamMaxRunners: _r, teamMaxGpus: _g, ...rest } = defaultClusterSettings;
  const legacy = {
    ...rest,
    gpuPlacement: { nodeSelector: { santaclara: "yes" }, tolerations: [{ key: "shark-ci", operator: "Equal", value: "reserved", effect: "NoSchedule" }] },
  };

  it("reads the one placement as one class named default, with no team ceilings", () => {
    expect(clusterSettingsSchema.parse(legacy)).toEqual({
      ...defaultClusterSettings,
      teamMaxRunners: null,
      teamMaxGpus: null,
      gpuClasses: [{ name: "default", ...legacy.gpuPlacement }],
      defaultGpuClass: "default",
    });
  });

  it("still refuses a bad placement in the old shape, and a class list without the default", () => {
    expect(clusterSettingsSchema.safeParse({ ...legacy, gpuPlacement: { nodeSelector: {}, tolerations: [{ operator: "Maybe" }] } }).success).toBe(false);
    const parsed = clusterSettingsSchema.safeParse({ ...defaultClusterSettings, gpuClasses: [] });
    expect(parsed.error!.issues.map((i) => i.path.join("."))).toContain("gpuClasses");
  });

  it("picks the named class, the default for none or a class the cluster no longer has", () => {
    const settings = {
      ...defaultClusterSettings,
      gpuClasses: [
        { name: "mi300", nodeSelector: { pool: "mi300" }, tolerations: [] },
        { name: "mi250", nodeSelector: { pool: "mi250" }, tolerations: [] },
      ],
      defaultGpuClass: "mi250",
    };
    expect(gpuClassFor(settings, "mi300").name).toBe("mi300");
    expect(gpuClassFor(settings, undefined).name).toBe("mi250");
    expect(gpuClassFor(settings, "gone").name).toBe("mi250");
  });
});
