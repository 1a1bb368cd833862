import { route } from "@/lib/auth/gate";
import { badRequest } from "@/lib/http-errors";
import { capacityOnCluster } from "@/lib/provision/capacity";
import { getRequest } from "@/lib/requests/queries";
import { isUrlId } from "@/lib/url-id";

export const dynamic = "force-dynamic";

/**
 * Whether the request fits, for the reviewer deciding on it: on its cluster, or with
 * `?cluster=<id>` on another candidate cluster. The page asks once per cluster, in parallel,
 * so a cluster that does not answer (each check gives up after a few seconds) holds up no other.
 */
export const GET = route("reviewer", async ({ req, actor, params }) => {
  const clusterId = new URL(req.url).searchParams.get("cluster");
  if (clusterId !== null && !isUrlId(clusterId)) throw badRequest("cluster must be a registered cluster's id.", { cluster: ["Not a cluster id"] });
  const request = await getRequest(actor!, params.id!);
  const report = await capacityOnCluster(request, clusterId ?? request.clusterId);
  return Response.json(report, { headers: { "cache-control": "no-store" } });
});
