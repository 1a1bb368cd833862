import { RENDER_DEVICES_FILE } from "./pod-template";
import type { ScaleSetSpec } from "./scale-set-spec";
import { commentOnTop, plainYamlDocument, yamlText } from "./yaml";

// A sample workflow that proves a new scale set works, adapted from the playbook's test_gpu.yml.
// Unlike that file it targets the request's own label, and it needs nothing beyond what the
// runner pod has: the original cd'ed into /home/runner/docker-data (no layout has that path),
// pinned setup-python v2.3.3, and pulled a multi-gigabyte PyTorch nightly to say "GPU found".

// A ROCm image with rocminfo, for the nested-container check of docker runners.
const ROCM_CHECK_IMAGE = "rocm/dev-ubuntu-24.04";

type Step = { name: string; uses?: string; run?: string };

function steps(spec: ScaleSetSpec): Step[] {
  const list: Step[] = [
    { name: "Check out the repository", uses: "actions/checkout@v4" },
    {
      name: "Show the runner's CPU and memory limits",
      run: [
        `echo "Requested: cpu ${spec.cpu}, memory ${spec.memory}"`,
        `echo "CPU quota (microseconds per period): $(cat /sys/fs/cgroup/cpu.max)"`,
        `echo "Memory limit (bytes): $(cat /sys/fs/cgroup/memory.max)"`,
        "",
      ].join("\n"),
    },
  ];
  if (spec.gpus > 0) {
    list.push(
      { name: `List the GPU devices of this runner (${spec.gpus} requested)`, run: "ls -l /dev/kfd /dev/dri" },
      {
        name: "Query the GPUs with ROCm tools, if the runner image has them",
        run: [
          "if command -v rocm-smi >/dev/null; then",
          "  rocm-smi",
          "  rocminfo",
          "else",
          '  echo "rocm-smi is not in the runner image; skipping"',
          "fi",
          "",
        ].join("\n"),
      },
    );
  }
  if (spec.docker) {
    list.push(
      spec.gpus > 0
        ? {
            name: "Run a container on this runner's GPUs only",
            run: `docker run --rm --device /dev/kfd $(cat ${RENDER_DEVICES_FILE}) ${ROCM_CHECK_IMAGE} rocminfo`,
          }
        : { name: "Run a container", run: "docker run --rm hello-world" },
    );
  }
  return list;
}

/** The sample workflow as YAML, ready to save under .github/workflows/. */
export function renderWorkflowYaml(spec: ScaleSetSpec): string {
  const doc = plainYamlDocument({
    name: `Test ${spec.label} runners`,
    on: ["pull_request", "workflow_dispatch"],
    concurrency: {
      group: "${{ github.workflow }}-${{ github.event.number || github.sha }}",
      "cancel-in-progress": true,
    },
    jobs: {
      "test-runner": {
        name: `Test ${spec.label}`,
        "runs-on": spec.label,
        "timeout-minutes": 30,
        steps: steps(spec),
      },
    },
  });
  commentOnTop(
    doc,
    [
      `Checks the "${spec.label}" runners. Save as .github/workflows/test-${spec.label}.yml`,
      `in a repository of ${spec.githubConfigUrl} and run it from the Actions tab.`,
    ].join("\n"),
  );
  return yamlText(doc);
}
