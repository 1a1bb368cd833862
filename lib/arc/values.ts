import type { PodSpec } from "./kube-types";
import { runnerPodSpec } from "./pod-template";
import type { ScaleSetSpec } from "./scale-set-spec";
import { githubSecretName, type ClusterSettings } from "./settings";
import { commentAbove, commentOnTop, kubeYamlDocument, yamlText } from "./yaml";

// The Helm values file of a scale set, for `helm upgrade --install <label> -n <namespace>
// gha-runner-scale-set -f values.yaml`. Keys are written in this order, always.

export const TEAM_ANNOTATION = "arc-runner-portal/team";
export const CONTACT_ANNOTATION = "arc-runner-portal/contact";

export type HelmValues = {
  githubConfigUrl: string;
  /** A string: the name of a Secret that exists before the chart is installed. */
  githubConfigSecret: string;
  runnerScaleSetName: string;
  minRunners: number;
  maxRunners: number;
  controllerServiceAccount: { name: string; namespace: string };
  /** The chart puts these on every object it renders. */
  annotations: Record<string, string>;
  template: { spec: PodSpec };
};

export function renderValues(spec: ScaleSetSpec, settings: ClusterSettings): HelmValues {
  return {
    githubConfigUrl: spec.githubConfigUrl,
    githubConfigSecret: githubSecretName(settings, spec.label),
    runnerScaleSetName: spec.label,
    minRunners: spec.minRunners,
    maxRunners: spec.maxRunners,
    controllerServiceAccount: { ...settings.controllerServiceAccount },
    annotations: { [TEAM_ANNOTATION]: spec.team, [CONTACT_ANNOTATION]: spec.contact },
    template: { spec: runnerPodSpec(spec, settings) },
  };
}

/** The values file as readable YAML with short comments. */
export function renderValuesYaml(spec: ScaleSetSpec, settings: ClusterSettings): string {
  const doc = kubeYamlDocument(renderValues(spec, settings));
  commentOnTop(
    doc,
    [
      `Runner scale set "${spec.label}" for ARC chart gha-runner-scale-set ${settings.chartVersion}.`,
      `helm upgrade --install ${spec.label} -n ${spec.namespace} \\`,
      `  oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set \\`,
      `  --version ${settings.chartVersion} -f values.yaml`,
    ].join("\n"),
  );
  commentAbove(doc, ["githubConfigUrl"], "Where the runners register: a GitHub organisation or repository.");
  commentAbove(
    doc,
    ["githubConfigSecret"],
    "Secret in the same namespace with github_app_id, github_app_installation_id and github_app_private_key.",
  );
  commentAbove(doc, ["runnerScaleSetName"], "The runs-on: label of your workflows.");
  commentAbove(
    doc,
    ["minRunners"],
    "ARC keeps minRunners idle runners plus one per assigned job, never more than maxRunners.",
  );
  commentAbove(
    doc,
    ["controllerServiceAccount"],
    "The cluster's ARC controller; the chart binds this scale set's manager Role to it.",
  );
  commentAbove(doc, ["annotations"], "Who owns this scale set; the chart puts these on every object.");
  if (spec.docker) {
    commentAbove(
      doc,
      ["template"],
      [
        "Docker-in-docker written out in full rather than containerMode: dind, which",
        "ignores image and resource overrides (ARC issues #3085, #3968, #4416).",
      ].join("\n"),
    );
    commentAbove(
      doc,
      ["template", "spec", "initContainers", 1],
      "A native sidecar (restartPolicy: Always): up before the runner starts, down after it stops.",
    );
    commentAbove(
      doc,
      ["template", "spec", "containers", 0, "command"],
      "Writes this pod's GPUs as --device flags to /etc/podinfo/gha-render-devices for nested docker run.",
    );
  }
  commentAbove(
    doc,
    ["template", "spec", "containers", 0, "resources"],
    spec.gpus > 0 ? "Requests equal limits; a GPU request must equal its limit." : "Requests equal limits.",
  );
  return yamlText(doc);
}
