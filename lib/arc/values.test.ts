import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { GOLDEN_REQUESTS, goldenRequest } from "./__golden__/load";
import type { Container, PodSpec } from "./kube-types";
import { RENDER_DEVICES_FILE } from "./pod-template";
import type { ScaleSetSpec } from "./scale-set-spec";
import { defaultClusterSettings, type ClusterSettings } from "./settings";
import { CONTACT_ANNOTATION, renderValues, renderValuesYaml, TEAM_ANNOTATION } from "./values";

const dind = goldenRequest("dind");
const base = goldenRequest("base");

const placed: ClusterSettings = {
  ...defaultClusterSettings,
  gpuClasses: [
    {
      name: "default",
      nodeSelector: { santaclara: "yes" },
      tolerations: [{ key: "shark-ci", operator: "Equal", value: "reserved", effect: "NoSchedule" }],
    },
  ],
};

function spec(values: { spec: PodSpec }): PodSpec {
  return values.spec;
}

function runner(pod: PodSpec): Container {
  const found = pod.containers.find((c) => c.name === "runner");
  if (!found) throw new Error("no runner container");
  return found;
}

describe("values YAML", () => {
  it.each([
    ["base", base, defaultClusterSettings],
    ["dind", dind, defaultClusterSettings],
    ["dind without GPUs", { ...dind, gpus: 0 }, defaultClusterSettings],
    ["base with GPU placement", base, placed],
  ] as [string, ScaleSetSpec, ClusterSettings][])("parses back to the values object (%s)", (_name, request, settings) => {
    // Helm's parser is YAML 1.1; the round trip must hold under it too.
    const text = renderValuesYaml(request, settings);
    expect(parse(text)).toStrictEqual(renderValues(request, settings));
    expect(parse(text, { version: "1.1" })).toStrictEqual(renderValues(request, settings));
  });

  it("quotes strings a YAML 1.1 reader would take for booleans", () => {
    const text = renderValuesYaml(base, placed);
    expect(text).toContain('santaclara: "yes"');
    expect(parse(text, { version: "1.1" }).template.spec.nodeSelector).toEqual({ santaclara: "yes" });
  });

  it("writes no anchors or aliases", () => {
    for (const name of GOLDEN_REQUESTS) {
      expect(renderValuesYaml(goldenRequest(name), defaultClusterSettings)).not.toMatch(/[&*]a\d/);
    }
  });

  it("keeps YAML structure when free text carries YAML, even past the schema", () => {
    const hostile: ScaleSetSpec = {
      ...dind,
      team: 'rocm\nmaxRunners: 500\n"x": [1]',
      contact: "lead@example.com\n---\nkind: Secret",
      label: "linux-mi300-gpu-1\nminRunners: 99",
    };
    const text = renderValuesYaml(hostile, defaultClusterSettings);
    const parsed = parse(text);
    expect(parsed).toStrictEqual(renderValues(hostile, defaultClusterSettings));
    expect(Object.keys(parsed)).toEqual(Object.keys(renderValues(dind, defaultClusterSettings)));
    expect(parsed.maxRunners).toBe(3);
    expect(parsed.minRunners).toBe(1);
    expect(parsed.annotations).toEqual({ [TEAM_ANNOTATION]: hostile.team, [CONTACT_ANNOTATION]: hostile.contact });
  });
});

describe("values object", () => {
  it("names the secret, label, sizes and controller", () => {
    const values = renderValues(dind, defaultClusterSettings);
    expect(values).toMatchObject({
      githubConfigUrl: "https://github.com/ROCm",
      githubConfigSecret: "linux-mi300-gpu-1-gha-rs-github-secret",
      runnerScaleSetName: "linux-mi300-gpu-1",
      minRunners: 1,
      maxRunners: 3,
      controllerServiceAccount: { name: "arc-gha-rs-controller", namespace: "arc" },
    });
  });

  it("uses the base layout without docker", () => {
    const pod = spec(renderValues(base, defaultClusterSettings).template);
    expect(pod.initContainers).toBeUndefined();
    expect(pod.volumes).toBeUndefined();
    expect(pod.containers).toHaveLength(1);
    expect(runner(pod)).toMatchObject({
      image: "ghcr.io/gpu-mode/amd-runner:saienduri-full-rocm",
      command: ["/home/runner/run.sh"],
    });
  });

  it("uses the production dind layout with docker", () => {
    const pod = spec(renderValues(dind, defaultClusterSettings).template);
    expect(pod.initContainers?.map((c) => c.name)).toEqual(["init-dind-externals", "dind"]);
    const sidecar = pod.initContainers?.[1];
    expect(sidecar).toMatchObject({ image: "docker:dind", restartPolicy: "Always", securityContext: { privileged: true } });
    expect(pod.volumes).toEqual(["work", "dind-sock", "dind-externals", "podinfo"].map((name) => ({ name, emptyDir: {} })));
    const volumeNames = new Set(pod.volumes?.map((v) => v.name));
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
      for (const mount of container.volumeMounts ?? []) expect(volumeNames).toContain(mount.name);
    }
    expect(runner(pod).command?.[2]).toContain(`> ${RENDER_DEVICES_FILE}`);
    expect(runner(pod).volumeMounts).toContainEqual({ name: "podinfo", mountPath: "/etc/podinfo" });
    expect(runner(pod).env).toEqual([{ name: "DOCKER_HOST", value: "unix:///var/run/docker.sock" }]);
  });

  it("runs the requested image in the runner and the externals copier, the default otherwise", () => {
    const custom = spec(renderValues({ ...dind, image: "ghcr.io/rocm/runner:7.0" }, defaultClusterSettings).template);
    expect(runner(custom).image).toBe("ghcr.io/rocm/runner:7.0");
    expect(custom.initContainers?.[0]?.image).toBe("ghcr.io/rocm/runner:7.0");
    const settings = { ...defaultClusterSettings, defaultRunnerImage: "ghcr.io/ossci/runner:1", dindImage: "docker:28-dind" };
    const fallback = spec(renderValues(dind, settings).template);
    expect(runner(fallback).image).toBe("ghcr.io/ossci/runner:1");
    expect(fallback.initContainers?.[1]?.image).toBe("docker:28-dind");
  });

  it("requests what it limits, the GPU included", () => {
    const settings = { ...defaultClusterSettings, gpuResourceName: "nvidia.com/gpu" };
    const resources = runner(spec(renderValues({ ...base, gpus: 4 }, settings).template)).resources;
    expect(resources).toEqual({
      requests: { cpu: "16", memory: "128Gi", "nvidia.com/gpu": 4 },
      limits: { cpu: "16", memory: "128Gi", "nvidia.com/gpu": 4 },
    });
  });

  it("asks for no GPU resource and no GPU placement with 0 GPUs", () => {
    for (const request of [base, dind]) {
      const pod = spec(renderValues({ ...request, gpus: 0 }, placed).template);
      expect(runner(pod).resources).toEqual({
        requests: { cpu: request.cpu, memory: request.memory },
        limits: { cpu: request.cpu, memory: request.memory },
      });
      expect(pod.nodeSelector).toBeUndefined();
      expect(pod.tolerations).toBeUndefined();
    }
  });

  it("places GPU runners with the cluster's node selector and tolerations", () => {
    const pod = spec(renderValues(dind, placed).template);
    expect(pod.nodeSelector).toEqual({ santaclara: "yes" });
    expect(pod.tolerations).toEqual(placed.gpuClasses[0]!.tolerations);
    expect(pod.tolerations?.[0]).not.toBe(placed.gpuClasses[0]!.tolerations[0]);
  });

  it("places GPU runners with the chosen class's placement, else the default class's", () => {
    const twoClasses: ClusterSettings = {
      ...placed,
      gpuClasses: [
        ...placed.gpuClasses,
        { name: "mi250", description: "MI250 nodes", nodeSelector: { pool: "mi250" }, tolerations: [] },
      ],
    };
    const chosen = spec(renderValues({ ...dind, gpuClass: "mi250" }, twoClasses).template);
    expect(chosen.nodeSelector).toEqual({ pool: "mi250" });
    expect(chosen.tolerations).toBeUndefined();
    expect(spec(renderValues(dind, twoClasses).template).nodeSelector).toEqual({ santaclara: "yes" });
    const defaultMi250 = { ...twoClasses, defaultGpuClass: "mi250" };
    expect(spec(renderValues(dind, defaultMi250).template).nodeSelector).toEqual({ pool: "mi250" });
    // CPU-only runners go anywhere, whatever the class.
    expect(spec(renderValues({ ...dind, gpus: 0, gpuClass: "mi250" }, twoClasses).template).nodeSelector).toBeUndefined();
  });
});
