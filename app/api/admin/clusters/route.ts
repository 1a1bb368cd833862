import { route } from "@/lib/auth/gate";
import { clusterOverview, registerCluster } from "@/lib/clusters/registry";
import { readJson } from "@/lib/http-body";

export const GET = route("admin", async () => ({ clusters: await clusterOverview() }));

/** Body: name, displayName, connection (IN_CLUSTER | KUBECONFIG), kubeconfig. Answers 201 without the kubeconfig. */
export const POST = route("admin", async ({ req, actor }) => {
  const cluster = await registerCluster(actor!, await readJson(req));
  return Response.json(cluster, { status: 201 });
});
