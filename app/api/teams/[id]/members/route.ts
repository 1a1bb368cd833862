import { route } from "@/lib/auth/gate";
import { readJson } from "@/lib/http-body";
import { addMember } from "@/lib/teams/members";

/** Body { login }: a person who has signed in once. Members of the team and admins only (lib/teams/membership.ts). */
export const POST = route("signed-in", async ({ req, actor, params }) => {
  const added = await addMember(actor!, params.id!, await readJson(req));
  return Response.json({ added: added.login }, { status: 201 });
});
