import "server-only";
import { notFound } from "next/navigation";
import { markDatabaseDown } from "@/lib/database-down";
import { HttpError } from "@/lib/http-errors";

/**
 * For pages: a 404 from the domain renders the not-found page; a database outage is marked
 * for the unavailable page (app/error.tsx); anything else propagates.
 */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) notFound();
    throw markDatabaseDown(err);
  }
}
