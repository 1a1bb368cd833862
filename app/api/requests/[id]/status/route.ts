import { allows, route } from "@/lib/auth/gate";
import { runnerStatus } from "@/lib/provision/status";
import { getRequest } from "@/lib/requests/queries";

export const dynamic = "force-dynamic";

/** Live runner counts and drift of the request's scale set; polled by the request page. */
export const GET = route("signed-in", async ({ actor, params }) => {
  const request = await getRequest(actor!, params.id!);
  const report = await runnerStatus(request, { reviewer: allows(actor, "reviewer") });
  return Response.json(report, { headers: { "cache-control": "no-store" } });
});
