import { route } from "@/lib/auth/gate";
import { capacityCheck } from "@/lib/provision/capacity";
import { getRequest } from "@/lib/requests/queries";

export const dynamic = "force-dynamic";

/** Whether the request fits the cluster, for the reviewer deciding on it. */
export const GET = route("reviewer", async ({ actor, params }) => {
  const request = await getRequest(actor!, params.id!);
  const report = await capacityCheck(request);
  return Response.json(report, { headers: { "cache-control": "no-store" } });
});
