import { route } from "@/lib/auth/gate";
import { consume, LIMITS } from "@/lib/rate-limit";
import { removeMember } from "@/lib/teams/members";

/** Removes a member, never the last. Members of the team and admins only (lib/teams/membership.ts). */
export const DELETE = route("signed-in", async ({ actor, params }) => {
  await consume(LIMITS.teamMembers, actor!.id);
  const removed = await removeMember(actor!, params.id!, params.login!);
  return { removed: removed.login, self: removed.self };
});
