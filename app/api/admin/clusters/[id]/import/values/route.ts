import { route } from "@/lib/auth/gate";
import { readJson } from "@/lib/http-body";
import { importFromValuesFile } from "@/lib/clusters/import-values-flow";

/**
 * { file, team, contact, label?, namespace?, githubConfigUrl?, githubSecret? }: imports a values
 * file, READY when its scale set already runs on the cluster, SUBMITTED for review otherwise.
 */
export const POST = route("admin", async ({ req, actor, params }) => {
  const created = await importFromValuesFile(actor!, params.id!, await readJson(req));
  return Response.json(created, { status: 201 });
});
