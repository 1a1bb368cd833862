import { route } from "@/lib/auth/gate";
import { probeClusterById } from "@/lib/clusters/cluster-probe";

/** Whether the cluster's API server answers now (within 2 s), and its version. */
export const GET = route("admin", async ({ params }) => probeClusterById(params.id!));
