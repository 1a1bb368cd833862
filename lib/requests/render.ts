import "server-only";
import { renderValuesYaml, renderWorkflowYaml, multiDocumentYaml } from "@/lib/arc";
import { renderOverlaidValuesYaml } from "@/lib/arc/overlaid-values";
import { renderScaleSetObjects } from "@/lib/arc/scale-set-objects";
import { advancedOf, settingsForRequest, type RenderSource } from "@/lib/clusters/request-settings";
import type { StoredSpec } from "./stored-spec";

// The files a request's page offers, rendered as the cluster gets them: with the settings the
// request is applied with (its appliedSettings, else the cluster's current ones) and its
// "advanced" overlay, if it has one.

type Renderable = RenderSource & { spec: StoredSpec };

function scaleSetSpec(spec: StoredSpec) {
  const { githubApp: _credentials, ...rest } = spec;
  return rest;
}

export async function renderRequestValues(r: Renderable): Promise<string> {
  const settings = await settingsForRequest(r);
  const advanced = advancedOf(r);
  const spec = scaleSetSpec(r.spec);
  return advanced ? renderOverlaidValuesYaml(spec, settings, advanced) : renderValuesYaml(spec, settings);
}

export async function renderRequestArtifacts(r: Renderable) {
  const settings = await settingsForRequest(r);
  const advanced = advancedOf(r);
  const spec = scaleSetSpec(r.spec);
  const rendered = renderScaleSetObjects(spec, settings, advanced);
  return {
    values: advanced ? renderOverlaidValuesYaml(spec, settings, advanced) : renderValuesYaml(spec, settings),
    manifests: multiDocumentYaml(rendered.objects),
    workflow: renderWorkflowYaml(spec),
    secretName: rendered.secretName,
  };
}
