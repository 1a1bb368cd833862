import { AdvancedOverlay } from "@/components/AdvancedOverlay";
import type { Actor } from "@/lib/auth/actor";
import { requestOverlay } from "@/lib/clusters/import-overlay-view";
import { getRequest } from "@/lib/requests/queries";

/** On the request page of an imported scale set: its advanced overlay, read-only, for the reviewer. */
export async function RequestOverlayPanel({ actor, id }: { actor: Actor; id: string }) {
  const overlay = await requestOverlay(await getRequest(actor, id));
  return overlay ? <AdvancedOverlay overlay={overlay.overlay} entries={overlay.entries} /> : null;
}
