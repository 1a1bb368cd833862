import "server-only";
import { renderManifests, renderValuesYaml, renderWorkflowYaml, multiDocumentYaml, githubSecretName } from "@/lib/arc";
import { clusterSettings } from "@/lib/clusters/settings";
import type { StoredSpec } from "./stored-spec";

type Renderable = { spec: StoredSpec; clusterId: string };

function scaleSetSpec(spec: StoredSpec) {
  const { githubApp: _credentials, ...rest } = spec;
  return rest;
}

export function renderRequestValues(r: Renderable): string {
  return renderValuesYaml(scaleSetSpec(r.spec), clusterSettings(r.clusterId));
}

export function renderRequestArtifacts(r: Renderable) {
  const settings = clusterSettings(r.clusterId);
  const spec = scaleSetSpec(r.spec);
  return {
    values: renderValuesYaml(spec, settings),
    manifests: multiDocumentYaml(renderManifests(spec, settings)),
    workflow: renderWorkflowYaml(spec),
    secretName: githubSecretName(settings, spec.label),
  };
}
