import { route } from "@/lib/auth/gate";
import { readJson } from "@/lib/http-body";
import { badRequest, issuesByField } from "@/lib/http-errors";
import { act, actionBodySchema } from "@/lib/requests/actions";
import { requestView } from "@/lib/requests/view";

/** A decision or request without new answers: { action, reason?, version?, adjustments? }. */
export const POST = route("signed-in", async ({ req, actor, params }) => {
  const parsed = actionBodySchema.safeParse(await readJson(req));
  if (!parsed.success) throw badRequest("The action is not valid.", issuesByField(parsed.error.issues, "request"));
  const { notice } = await act(actor!, params.id!, parsed.data);
  return { request: await requestView(actor!, params.id!), notice };
});
