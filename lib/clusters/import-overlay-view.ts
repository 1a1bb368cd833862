import "server-only";
import { describeOverlay, type OverlayEntry, type OverlayObject, type ValuesData } from "@/lib/arc/overlay";
import { renderValues } from "@/lib/arc/values";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import { advancedOf, settingsForRequest, type RenderSource } from "./request-settings";
import { plainData } from "@/lib/plain-data";

// The advanced overlay of an imported request as its page shows it: the patch and, in words,
// what it changes against the values the current answers render to.

export async function requestOverlay(
  r: RenderSource & { spec: unknown },
): Promise<{ overlay: OverlayObject; entries: OverlayEntry[] } | null> {
  const overlay = advancedOf(r);
  if (!overlay) return null;
  const { githubApp: _credentials, ...spec } = r.spec as StoredSpec;
  const base = plainData<ValuesData>(renderValues(spec, await settingsForRequest(r)));
  return { overlay, entries: describeOverlay(base, overlay) };
}
