import { notFoundError } from "@/lib/http-errors";
import { isUrlId } from "@/lib/url-id";

// An id that could not be a request's is simply not found, like one that does not exist.
export function requireRequestId(id: string): string {
  if (!isUrlId(id)) throw notFoundError("Request not found, or it belongs to another team.");
  return id;
}
