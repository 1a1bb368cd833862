import { route } from "@/lib/auth/gate";
import { badRequest } from "@/lib/http-errors";
import { fieldErrors, toFieldErrorMap } from "@/lib/requests/field-errors";
import { queueFilterSchema, reviewQueue } from "@/lib/requests/review-queue";

/** The review queue: ?status=SUBMITTED|…|ALL&team=<slug>, oldest first. */
export const GET = route("reviewer", async ({ req }) => {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const filter = queueFilterSchema.safeParse(params);
  if (!filter.success) throw badRequest("The filter is not valid.", toFieldErrorMap(fieldErrors(filter.error)));
  return { requests: await reviewQueue(filter.data) };
});
