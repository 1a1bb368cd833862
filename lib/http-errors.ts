// Errors a person can act on. Anything else that escapes a handler is a bug
// and is answered with a generic message; its details go only to the log.

export type FieldErrors = Record<string, string[]>;

/** A schema's issues as field → messages; issues about the whole input go under `fallback`. */
export function issuesByField(issues: readonly { path: readonly PropertyKey[]; message: string }[], fallback = "_"): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) (out[i.path.map(String).join(".") || fallback] ??= []).push(i.message);
  return out;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors?: FieldErrors,
    /** Sent as Retry-After (a 429 or 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const unauthorized = (msg = "Sign in to continue.") => new HttpError(401, msg);
export const forbiddenError = (msg = "You do not have permission to do this.") => new HttpError(403, msg);
export const notFoundError = (msg = "Not found.") => new HttpError(404, msg);
export const badRequest = (msg: string, fieldErrors?: FieldErrors) => new HttpError(400, msg, fieldErrors);
export const conflict = (msg: string, fieldErrors?: FieldErrors) => new HttpError(409, msg, fieldErrors);
export const unprocessable = (msg: string, fieldErrors?: FieldErrors) => new HttpError(422, msg, fieldErrors);
export const tooManyRequests = (msg: string, retryAfterSeconds?: number) => new HttpError(429, msg, undefined, retryAfterSeconds);
export const unavailable = (msg: string, retryAfterSeconds?: number) => new HttpError(503, msg, undefined, retryAfterSeconds);
