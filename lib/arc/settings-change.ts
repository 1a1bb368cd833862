import { describeOverlay, diffOverlay, type OverlayEntry, type OverlayObject, type ValuesData } from "./overlay";
import { renderScaleSetObjects } from "./scale-set-objects";
import type { ScaleSetSpec } from "./scale-set-spec";
import type { ClusterSettings } from "./settings";
import { plainData } from "@/lib/plain-data";

// What a change of cluster settings would do to one live scale set: its objects rendered
// with the settings it was applied with and with the new ones, compared field by field.

export type ObjectChange = {
  /** "AutoscalingRunnerSet linux-mi300-gpu-1", "Secret (name)", … */
  object: string;
  changes: OverlayEntry[];
};

export function settingsChangeFor(
  spec: ScaleSetSpec,
  advanced: OverlayObject | null | undefined,
  before: ClusterSettings,
  after: ClusterSettings,
): ObjectChange[] {
  const old = renderScaleSetObjects(spec, before, advanced);
  const now = renderScaleSetObjects(spec, after, advanced);
  const result: ObjectChange[] = [];
  const key = (o: { kind: string; metadata: { name: string } }) => `${o.kind} ${o.metadata.name}`;
  const oldByKey = new Map(old.objects.map((o) => [key(o), plainData<ValuesData>(o)]));
  const nowByKey = new Map(now.objects.map((o) => [key(o), plainData<ValuesData>(o)]));
  for (const [name, object] of nowByKey) {
    const previous = oldByKey.get(name);
    if (!previous) result.push({ object: name, changes: [{ path: "", what: "created" }] });
    else {
      const changes = describeOverlay(previous, diffOverlay(previous, object));
      if (changes.length > 0) result.push({ object: name, changes });
    }
  }
  for (const name of oldByKey.keys()) {
    if (!nowByKey.has(name)) result.push({ object: name, changes: [{ path: "", what: "no longer rendered" }] });
  }
  if (old.secretName !== now.secretName) {
    result.push({
      object: "Secret (GitHub App credentials)",
      changes: [{ path: "metadata.name", what: `"${now.secretName}" instead of "${old.secretName}"` }],
    });
  }
  return result;
}
