import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-xl px-6 py-24 text-center">
      <p className="text-sm font-semibold text-red-700">403 · Not allowed</p>
      <h1 className="mt-2 text-2xl font-semibold">This page is for OSSCI reviewers</h1>
      <p className="mt-3 text-slate-600">
        Your account does not have the reviewer role. If you review runner requests for OSSCI, ask a portal admin to add
        your GitHub login to the reviewers.
      </p>
      <Link href="/requests" className="mt-6 inline-block rounded-md bg-brand-600 px-4 py-2 text-white hover:bg-brand-700">
        Back to my requests
      </Link>
    </main>
  );
}
