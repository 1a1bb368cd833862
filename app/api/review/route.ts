import { route } from "@/lib/auth/gate";
import { badRequest, issuesByField } from "@/lib/http-errors";
import { queueFilterSchema, reviewQueue } from "@/lib/requests/review-queue";

/** The review queue: ?status=SUBMITTED|…|ALL&team=<slug>, oldest first. */
export const GET = route("reviewer", async ({ req }) => {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const filter = queueFilterSchema.safeParse(params);
  if (!filter.success) throw badRequest("The filter is not valid.", issuesByField(filter.error.issues, "request"));
  return { requests: await reviewQueue(filter.data) };
});
