import type { z } from "zod";
import type { FieldErrors } from "@/lib/http-errors";

export type FieldError = { field: string; message: string };

/** One entry per problem: the field's path (e.g. "githubApp.privateKey") and the message. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "request",
    message: issue.message,
  }));
}

/** The same, grouped by field, as the API answers them. */
export function toFieldErrorMap(list: FieldError[]): FieldErrors {
  const out: FieldErrors = {};
  for (const e of list) (out[e.field] ??= []).push(e.message);
  return out;
}
