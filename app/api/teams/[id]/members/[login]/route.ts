import { route } from "@/lib/auth/gate";
import { removeMember } from "@/lib/teams/members";

/** Removes a member, never the last. Members of the team and admins only (lib/teams/membership.ts). */
export const DELETE = route("signed-in", async ({ actor, params }) => {
  const removed = await removeMember(actor!, params.id!, params.login!);
  return { removed: removed.login, self: removed.self };
});
