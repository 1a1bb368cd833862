import type { Metadata } from "next";
import { EmptyState } from "@/components/EmptyState";
import { pageActor } from "@/lib/auth/gate";

export const metadata: Metadata = { title: "My requests" };

export default async function MyRequestsPage() {
  await pageActor("signed-in", "/requests");
  return (
    <section>
      <h1 className="text-2xl font-semibold">My requests</h1>
      <p className="mt-1 text-sm text-slate-600">Runner scale sets your team has asked for, and where each one stands.</p>
      <div className="mt-6">
        <EmptyState title="No requests yet">
          When your team asks for GPU runners, the request shows up here with its review status and, once it is ready, the
          <code className="mx-1 rounded bg-slate-100 px-1">runs-on</code>label to use in your workflows.
        </EmptyState>
      </div>
    </section>
  );
}
