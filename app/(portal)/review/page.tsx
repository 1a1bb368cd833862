import type { Metadata } from "next";
import { EmptyState } from "@/components/EmptyState";
import { pageActor } from "@/lib/auth/gate";

export const metadata: Metadata = { title: "Review queue" };

export default async function ReviewQueuePage() {
  await pageActor("reviewer", "/review");
  return (
    <section>
      <h1 className="text-2xl font-semibold">Review queue</h1>
      <p className="mt-1 text-sm text-slate-600">Requests waiting for an OSSCI decision, oldest first.</p>
      <div className="mt-6">
        <EmptyState title="Nothing to review">New runner requests appear here as soon as a team submits them.</EmptyState>
      </div>
    </section>
  );
}
