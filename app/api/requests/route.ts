import { route } from "@/lib/auth/gate";
import { readJson } from "@/lib/http-body";
import { consume, LIMITS } from "@/lib/rate-limit";
import { createRequest } from "@/lib/requests/create";
import { listRequests } from "@/lib/requests/queries";

export const GET = route("signed-in", async ({ actor }) => ({ requests: await listRequests(actor!) }));

/** Body: the form's fields; `"draft": true` saves without credentials and without review. */
export const POST = route("signed-in", async ({ req, actor }) => {
  await consume(LIMITS.submit, actor!.id);
  const body = await readJson(req);
  const draft = typeof body === "object" && body !== null && (body as { draft?: unknown }).draft === true;
  const created = await createRequest(actor!, body, draft ? "draft" : "submit");
  return Response.json(created, { status: 201 });
});
