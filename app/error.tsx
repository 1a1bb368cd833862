"use client";

import { DATABASE_UNAVAILABLE_DIGEST, DATABASE_UNAVAILABLE_MESSAGE } from "@/lib/database-down";

// A page that failed. Next.js answers such a page with 500 whatever the cause (a server
// component can only choose 404, 403 and 401), so the page itself says what happened: for a
// database outage, that it is temporary and nothing is lost.
export default function PageError({ error }: { error: Error & { digest?: string } }) {
  const databaseDown = error.digest === DATABASE_UNAVAILABLE_DIGEST;
  return (
    <main className="mx-auto max-w-xl px-6 py-24 text-center">
      <p className="text-sm font-semibold text-slate-500">{databaseDown ? "Temporarily unavailable" : "Error"}</p>
      <h1 className="mt-2 text-2xl font-semibold">{databaseDown ? "The database is unavailable" : "Something went wrong"}</h1>
      <p className="mt-3 text-slate-600">
        {databaseDown ? DATABASE_UNAVAILABLE_MESSAGE : "The page could not be shown. It has been logged; try again."}
      </p>
      {!databaseDown && error.digest ? <p className="mt-2 font-mono text-xs text-slate-400">Reference {error.digest}</p> : null}
      <button
        type="button"
        onClick={() => window.location.reload()}
        className="mt-6 inline-block rounded-md bg-brand-600 px-4 py-2 text-white hover:bg-brand-700"
      >
        Try again
      </button>
    </main>
  );
}
