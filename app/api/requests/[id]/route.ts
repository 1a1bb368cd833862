import { route } from "@/lib/auth/gate";
import { readJson } from "@/lib/http-body";
import { editRequest } from "@/lib/requests/edit";
import { requestView } from "@/lib/requests/view";

export const GET = route("signed-in", async ({ actor, params }) => ({ request: await requestView(actor!, params.id!) }));

/** New answers: saves a draft, submits it, resubmits after changes, or asks to change a live scale set. */
export const PUT = route("signed-in", async ({ req, actor, params }) => {
  await editRequest(actor!, params.id!, await readJson(req));
  return { request: await requestView(actor!, params.id!) };
});
