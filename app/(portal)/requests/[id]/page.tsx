import type { Metadata } from "next";
import { RequestOverlayPanel } from "@/components/admin/import/RequestOverlayPanel";
import { RequestLive } from "@/components/request-page/RequestLive";
import { allows, pageActor } from "@/lib/auth/gate";
import { listClusters } from "@/lib/clusters/registry";
import { markSeen } from "@/lib/notifications";
import { orNotFound } from "@/lib/page-errors";
import { requestViewAndRow } from "@/lib/requests/view";

export const metadata: Metadata = { title: "Request" };

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await pageActor("signed-in", `/requests/${id}`);
  const { view, row } = await orNotFound(requestViewAndRow(actor, id));
  await markSeen(actor, id);
  // Names for the cluster badge and, for reviewers, the candidates of a new request. The capacity
  // of each is asked from the browser, one cluster per call, so a slow cluster never holds the page.
  const clusters = (await listClusters()).map(({ id, name, displayName }) => ({ id, name, displayName }));
  return (
    <RequestLive
      initial={view}
      clusters={allows(actor, "reviewer") || view.preferredClusterId ? clusters : []}
      clusterCount={clusters.length}
      extra={view.events.some((e) => e.type === "import") ? <RequestOverlayPanel request={row} /> : null}
    />
  );
}
