// Telling "the database is unreachable" apart from any other failure: the API answers 503 for
// it (lib/auth/gate.ts) and pages show the unavailable page (app/error.tsx). No server-only
// import: the page's error boundary, a client component, reads the digest.

export const DATABASE_UNAVAILABLE_MESSAGE = "The portal's database is unavailable right now. Try again in a minute.";

/**
 * Next.js keeps an error's own `digest` when it sends a page's error to the browser (and
 * strips the message in production), so the digest is how the error page knows.
 */
export const DATABASE_UNAVAILABLE_DIGEST = "DATABASE_UNAVAILABLE";

export function isDatabaseDown(err: unknown): boolean {
  const text = `${(err as Error)?.name ?? ""} ${(err as Error)?.message ?? ""} ${(err as { code?: string })?.code ?? ""}`;
  return /ECONNREFUSED|ECONNRESET|57P01|53300|Can't reach database|connection terminated|DriverAdapterError.*(connect|terminat)/i.test(text);
}

export const DATABASE_BUSY_MESSAGE =
  "The portal is very busy right now: every database connection is in use. Nothing was saved; try again in a few seconds.";

/**
 * The database is up but saturated: no connection or transaction could be had in time (Prisma's
 * P2028 "Unable to start a transaction in the given time", pg's pool "timeout exceeded when
 * trying to connect"). A person should retry shortly, so the API answers 503 with Retry-After.
 */
export function isDatabaseBusy(err: unknown): boolean {
  const text = `${(err as Error)?.message ?? ""} ${(err as { code?: string })?.code ?? ""}`;
  return /P2028|Unable to start a transaction in the given time|timeout exceeded when trying to connect/i.test(text);
}

/** Marks a database-down error for the page's error boundary; anything else is left as it is. */
export function markDatabaseDown(err: unknown): unknown {
  if (isDatabaseDown(err) && err instanceof Error && !("digest" in err)) Object.assign(err, { digest: DATABASE_UNAVAILABLE_DIGEST });
  return err;
}
