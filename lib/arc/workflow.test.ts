import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { goldenRequest } from "./__golden__/load";
import { renderWorkflowYaml } from "./workflow";

type Workflow = { on: string[]; jobs: Record<string, { "runs-on": string; steps: { name: string; run?: string }[] }> };

function workflow(text: string): Workflow {
  return parse(text) as Workflow;
}

function runs(w: Workflow): string {
  return Object.values(w.jobs)
    .flatMap((job) => job.steps.map((step) => step.run ?? ""))
    .join("\n");
}

describe("sample workflow", () => {
  const dind = goldenRequest("dind");
  const base = goldenRequest("base");

  it("runs on the request's label and nothing else", () => {
    for (const request of [dind, base]) {
      const w = workflow(renderWorkflowYaml(request));
      expect(Object.values(w.jobs).map((job) => job["runs-on"])).toEqual([request.label]);
      expect(w.on).toEqual(["pull_request", "workflow_dispatch"]);
    }
  });

  it("drops the paths and actions of the original that no runner has", () => {
    for (const request of [dind, base]) {
      const text = renderWorkflowYaml(request);
      expect(text).not.toContain("docker-data");
      expect(text).not.toContain("setup-python");
      expect(text).not.toContain("mi300-cluster");
    }
  });

  it("checks GPUs only when the runner has some", () => {
    expect(runs(workflow(renderWorkflowYaml(base)))).toContain("/dev/kfd");
    expect(runs(workflow(renderWorkflowYaml({ ...base, gpus: 0 })))).not.toContain("/dev/kfd");
  });

  it("runs a nested container only on docker runners, confined to the pod's GPUs", () => {
    expect(runs(workflow(renderWorkflowYaml(base)))).not.toContain("docker run");
    expect(runs(workflow(renderWorkflowYaml(dind)))).toContain(
      "docker run --rm --device /dev/kfd $(cat /etc/podinfo/gha-render-devices)",
    );
    expect(runs(workflow(renderWorkflowYaml({ ...dind, gpus: 0 })))).toContain("docker run --rm hello-world");
  });
});
