import { AdvancedOverlay } from "@/components/AdvancedOverlay";
import { requestOverlay } from "@/lib/clusters/import-overlay-view";
import type { RenderSource } from "@/lib/clusters/request-settings";

/**
 * On the request page of an imported scale set: its advanced overlay, read-only, for the reviewer.
 * Takes the row the page already loaded (a server component: the row never reaches the browser).
 */
export async function RequestOverlayPanel({ request }: { request: RenderSource & { spec: unknown } }) {
  const overlay = await requestOverlay(request);
  return overlay ? <AdvancedOverlay overlay={overlay.overlay} entries={overlay.entries} /> : null;
}
