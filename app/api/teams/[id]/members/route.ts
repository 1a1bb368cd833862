import { route } from "@/lib/auth/gate";
import { consume, LIMITS } from "@/lib/rate-limit";
import { readJson } from "@/lib/http-body";
import { addMember } from "@/lib/teams/members";

/** Body { login }: a person who has signed in once. Members of the team and admins only (lib/teams/membership.ts). */
export const POST = route("signed-in", async ({ req, actor, params }) => {
  await consume(LIMITS.teamMembers, actor!.id);
  const added = await addMember(actor!, params.id!, await readJson(req));
  return Response.json({ added: added.login }, { status: 201 });
});
