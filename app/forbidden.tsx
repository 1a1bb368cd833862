import Link from "next/link";

// Shared by every role-gated page, review and admin alike: it cannot tell which gate refused,
// so it names both roles and who grants them.
export default function Forbidden() {
  return (
    <main className="mx-auto max-w-xl px-6 py-24 text-center">
      <p className="text-sm font-semibold text-red-700">403 · Not allowed</p>
      <h1 className="mt-2 text-2xl font-semibold">You do not have the role this page needs</h1>
      <p className="mt-3 text-slate-600">
        Review pages are for OSSCI reviewers, and admin pages for portal admins. If your work needs this page, ask a portal
        admin to give your GitHub login that role.
      </p>
      <Link href="/requests" className="mt-6 inline-block rounded-md bg-brand-600 px-4 py-2 text-white hover:bg-brand-700">
        Back to my requests
      </Link>
    </main>
  );
}
