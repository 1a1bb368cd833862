import { route } from "@/lib/auth/gate";
import { recheckGitHub } from "@/lib/requests/recheck";

/** Check the stored request with GitHub again (e.g. after GitHub was down at submit). */
export const POST = route("signed-in", async ({ actor, params }) => recheckGitHub(actor!, params.id!));
