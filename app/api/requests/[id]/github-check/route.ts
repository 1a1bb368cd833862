import { route } from "@/lib/auth/gate";
import { consume, LIMITS } from "@/lib/rate-limit";
import { recheckGitHub } from "@/lib/requests/recheck";

/** Check the stored request with GitHub again (e.g. after GitHub was down at submit). */
export const POST = route("signed-in", async ({ actor, params }) => {
  await consume(LIMITS.githubCheck, actor!.id);
  return recheckGitHub(actor!, params.id!);
});
