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

/** Marks a database-down error for the page's error boundary; anything else is left as it is. */
export function markDatabaseDown(err: unknown): unknown {
  if (isDatabaseDown(err) && err instanceof Error && !("digest" in err)) Object.assign(err, { digest: DATABASE_UNAVAILABLE_DIGEST });
  return err;
}
