import type { Metadata } from "next";
import { RequestLive } from "@/components/request-page/RequestLive";
import { pageActor } from "@/lib/auth/gate";
import { markSeen } from "@/lib/notifications";
import { orNotFound } from "@/lib/page-errors";
import { requestView } from "@/lib/requests/view";

export const metadata: Metadata = { title: "Request" };

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await pageActor("signed-in", `/requests/${id}`);
  const view = await orNotFound(requestView(actor, id));
  await markSeen(actor, id);
  return <RequestLive initial={view} />;
}
