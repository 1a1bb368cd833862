import { route } from "@/lib/auth/gate";
import { githubRunners } from "@/lib/requests/github-runners";

/** The runners GitHub reports for the scale set's label, next to the cluster's own counts. */
export const GET = route("signed-in", async ({ actor, params }) => githubRunners(actor!, params.id!));
