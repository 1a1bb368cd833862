import type { Container, PodSpec, ResourceAmounts, Volume, VolumeMount } from "./kube-types";
import type { ScaleSetSpec } from "./scale-set-spec";
import { gpuClassFor, type ClusterSettings } from "./settings";

// The runner pod template of the two playbook layouts: "base" (no docker) and "dind".

export const RENDER_DEVICES_FILE = "/etc/podinfo/gha-render-devices";

// Nested `docker run` goes through the privileged dind sidecar, which sees every GPU on the
// node. The runner writes only its own pod's render devices as --device flags, and jobs pass
// that file to docker run so that nested containers get exactly the pod's GPUs.
// No wait for docker here: the sidecar's startup probe holds the runner back until docker
// answers. exec hands PID 1 to run.sh so that it receives SIGTERM when the pod stops.
const DIND_RUNNER_SCRIPT = `GHA_RENDER_DEVICES=""
for device in /dev/dri/renderD*; do
  [ -e "$device" ] && GHA_RENDER_DEVICES="$GHA_RENDER_DEVICES --device $device"
done
echo "$GHA_RENDER_DEVICES" > ${RENDER_DEVICES_FILE}
exec /home/runner/run.sh
`;

const DOCKER_SOCKET = "unix:///var/run/docker.sock";

// Fresh objects on every call: the YAML writer must never see one object twice.
const mount = (name: string, mountPath: string): VolumeMount => ({ name, mountPath });
const emptyDir = (name: string): Volume => ({ name, emptyDir: {} });

/** Requests equal limits, so runners get exactly what was asked; no GPU key at all for 0 GPUs. */
function resources(spec: ScaleSetSpec, settings: ClusterSettings): Container["resources"] {
  const amounts = (): ResourceAmounts => ({
    cpu: spec.cpu,
    memory: spec.memory,
    ...(spec.gpus > 0 ? { [settings.gpuResourceName]: spec.gpus } : {}),
  });
  return { requests: amounts(), limits: amounts() };
}

function placement(spec: ScaleSetSpec, settings: ClusterSettings): Pick<PodSpec, "nodeSelector" | "tolerations"> {
  if (spec.gpus === 0) return {};
  const { nodeSelector, tolerations } = gpuClassFor(settings, spec.gpuClass);
  return {
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector: { ...nodeSelector } } : {}),
    ...(tolerations.length > 0 ? { tolerations: tolerations.map((t) => ({ ...t })) } : {}),
  };
}

function basePodSpec(spec: ScaleSetSpec, settings: ClusterSettings, image: string): PodSpec {
  return {
    ...placement(spec, settings),
    containers: [
      {
        name: "runner",
        image,
        command: ["/home/runner/run.sh"],
        resources: resources(spec, settings),
      },
    ],
  };
}

function dindPodSpec(spec: ScaleSetSpec, settings: ClusterSettings, image: string): PodSpec {
  return {
    ...placement(spec, settings),
    initContainers: [
      {
        name: "init-dind-externals",
        image,
        command: ["cp", "-r", "/home/runner/externals/.", "/home/runner/tmpDir/"],
        volumeMounts: [mount("dind-externals", "/home/runner/tmpDir")],
      },
      {
        name: "dind",
        image: settings.dindImage,
        restartPolicy: "Always",
        // dockerd as the container's main process: if it dies, the kubelet restarts the
        // sidecar, where the production files' `dockerd & … tail -f` would hide the failure.
        args: ["dockerd", `--host=${DOCKER_SOCKET}`, "--group=$(DOCKER_GROUP_GID)"],
        env: [{ name: "DOCKER_GROUP_GID", value: "123" }],
        securityContext: { privileged: true },
        // The kubelet starts the runner container only once this probe passes.
        startupProbe: { exec: { command: ["docker", "info"] }, periodSeconds: 5, failureThreshold: 24 },
        volumeMounts: [
          mount("work", "/home/runner/_work"),
          mount("dind-sock", "/var/run"),
          mount("dind-externals", "/home/runner/externals"),
          mount("podinfo", "/etc/podinfo"),
        ],
      },
    ],
    containers: [
      {
        name: "runner",
        image,
        command: ["/bin/sh", "-c", DIND_RUNNER_SCRIPT],
        env: [{ name: "DOCKER_HOST", value: DOCKER_SOCKET }],
        resources: resources(spec, settings),
        volumeMounts: [
          mount("work", "/home/runner/_work"),
          mount("dind-sock", "/var/run"),
          mount("dind-externals", "/home/runner/externals"),
          mount("podinfo", "/etc/podinfo"),
        ],
      },
    ],
    volumes: [emptyDir("work"), emptyDir("dind-sock"), emptyDir("dind-externals"), emptyDir("podinfo")],
  };
}

/** The runner pod spec for the request: the dind layout if its workflows run docker, else the base one. */
export function runnerPodSpec(spec: ScaleSetSpec, settings: ClusterSettings): PodSpec {
  const image = spec.image ?? settings.defaultRunnerImage;
  return spec.docker ? dindPodSpec(spec, settings, image) : basePodSpec(spec, settings, image);
}
