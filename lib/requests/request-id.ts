import { notFoundError } from "@/lib/http-errors";

// Request ids come from URLs. Ours are cuids; anything that could not be one
// (a NUL byte, which PostgreSQL refuses in text, an RTL override, 5 000
// characters) is simply not found, like an id that does not exist, and is
// never echoed back.
const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function requireRequestId(id: string): string {
  if (!REQUEST_ID.test(id)) throw notFoundError("Request not found, or it belongs to another team.");
  return id;
}
