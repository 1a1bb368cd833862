import type { z } from "zod";

export type FieldError = { field: string; message: string };

/** One entry per problem: the field's path (e.g. "githubApp.privateKey") and the message. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "request",
    message: issue.message,
  }));
}
