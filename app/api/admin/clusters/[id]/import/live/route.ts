import { route } from "@/lib/auth/gate";
import { readJson } from "@/lib/http-body";
import { importFromCluster, listImportable } from "@/lib/clusters/import-live-flow";

export const dynamic = "force-dynamic";

/** The cluster's AutoscalingRunnerSets that the portal does not manage, across namespaces. */
export const GET = route("admin", async ({ params }) => {
  const list = await listImportable(params.id!);
  return Response.json(list, { headers: { "cache-control": "no-store" } });
});

/** { namespace, name, team, contact }: imports one as a READY request of that team; the cluster is not changed. */
export const POST = route("admin", async ({ req, actor, params }) => {
  const created = await importFromCluster(actor!, params.id!, await readJson(req));
  return Response.json(created, { status: 201 });
});
