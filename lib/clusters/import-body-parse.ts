import type { z } from "zod";
import { badRequest, issuesByField } from "@/lib/http-errors";

/** A request body checked with one of the import schemas; 400 naming each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const errors = issuesByField(parsed.error.issues);
  const first = parsed.error.issues[0]?.message;
  throw badRequest(first ? `Some answers need fixing: ${first}.` : "Some answers need fixing.", errors);
}
