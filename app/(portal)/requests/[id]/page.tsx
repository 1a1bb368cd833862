import type { Metadata } from "next";
import { RequestOverlayPanel } from "@/components/admin/import/RequestOverlayPanel";
import { CapacityCheck } from "@/components/CapacityCheck";
import { GitHubRunners } from "@/components/GitHubRunners";
import { RequestLive } from "@/components/request-page/RequestLive";
import { RunnerStatus } from "@/components/RunnerStatus";
import { allows, pageActor } from "@/lib/auth/gate";
import { log } from "@/lib/log";
import { markSeen } from "@/lib/notifications";
import { orNotFound } from "@/lib/page-errors";
import { capacityCheck } from "@/lib/provision/capacity";
import { getRequest } from "@/lib/requests/queries";
import { requestView } from "@/lib/requests/view";

export const metadata: Metadata = { title: "Request" };

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await pageActor("signed-in", `/requests/${id}`);
  const view = await orNotFound(requestView(actor, id));
  await markSeen(actor, id);
  // Reviewers deciding see whether the worst case fits; a cluster that does not answer only hides the check.
  const deciding = allows(actor, "reviewer") && view.status === "SUBMITTED" && view.reviewKind !== "DECOMMISSION";
  const capacity = deciding
    ? await capacityCheck(await getRequest(actor, id)).catch((err: Error) => {
        log.warn("capacity check failed", { requestId: id, error: err.message });
        return null;
      })
    : null;
  const live = view.status !== "DRAFT" && view.status !== "REJECTED" && (view.status !== "SUBMITTED" || view.reviewKind !== "NEW");
  return (
    <RequestLive
      initial={view}
      extra={
        <>
          {view.events.some((e) => e.type === "import") ? <RequestOverlayPanel actor={actor} id={id} /> : null}
          {capacity ? <CapacityCheck report={capacity} /> : null}
          {live ? <RunnerStatus requestId={id} /> : null}
          {live ? <GitHubRunners requestId={id} /> : null}
        </>
      }
    />
  );
}
