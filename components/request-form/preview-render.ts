// The form's live preview files. Loaded on demand (components/request-form/LivePreview.tsx):
// the rendering core and the yaml library are a third of the form page's JavaScript, and
// nothing else on the page needs them.
import { multiDocumentYaml } from "@/lib/arc/yaml";
import { renderManifests } from "@/lib/arc/manifests";
import type { ClusterSettings } from "@/lib/arc/settings";
import type { ScaleSetSpec } from "@/lib/arc/scale-set-spec";
import { renderValuesYaml } from "@/lib/arc/values";
import { renderWorkflowYaml } from "@/lib/arc/workflow";
import type { PreviewDocs } from "./ValuesPreview";

export function renderPreview(spec: ScaleSetSpec, settings: ClusterSettings): PreviewDocs {
  return {
    label: spec.label,
    values: renderValuesYaml(spec, settings),
    manifests: multiDocumentYaml(renderManifests(spec, settings)),
    workflow: renderWorkflowYaml(spec),
  };
}
