import type { Metadata } from "next";
import { ReviewQueue } from "@/components/ReviewQueue";
import { pageActor } from "@/lib/auth/gate";
import { reviewQueue, teamsWithRequests } from "@/lib/requests/review-queue";

export const metadata: Metadata = { title: "Review queue" };

export default async function ReviewQueuePage() {
  await pageActor("reviewer", "/review");
  const [initial, teams] = await Promise.all([reviewQueue({ status: "SUBMITTED" }), teamsWithRequests()]);
  return (
    <section>
      <h1 className="text-2xl font-semibold">Review queue</h1>
      <p className="mt-1 text-sm text-slate-600">Requests waiting for an OSSCI decision, oldest first.</p>
      <div className="mt-6">
        <ReviewQueue initial={initial} teams={teams} />
      </div>
    </section>
  );
}
