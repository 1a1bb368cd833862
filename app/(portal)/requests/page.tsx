import type { Metadata } from "next";
import Link from "next/link";
import { ClusterBadge } from "@/components/ClusterBadge";
import { EmptyState } from "@/components/EmptyState";
import { RelativeTime } from "@/components/RelativeTime";
import { StatusBadge } from "@/components/StatusBadge";
import { pageActor } from "@/lib/auth/gate";
import { listRequests } from "@/lib/requests/queries";

export const metadata: Metadata = { title: "My requests" };

const newButton = (
  <Link href="/requests/new" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
    New request
  </Link>
);

export default async function MyRequestsPage() {
  const actor = await pageActor("signed-in", "/requests");
  const requests = await listRequests(actor, { mineOnly: true });
  return (
    <section>
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-semibold">My requests</h1>
          <p className="mt-1 text-sm text-slate-600">Runner scale sets your team has asked for, and where each one stands.</p>
        </div>
        {requests.length > 0 ? newButton : null}
      </div>
      <div className="mt-6">
        {requests.length === 0 ? (
          <EmptyState title="No requests yet" action={newButton}>
            When your team asks for GPU runners, the request shows up here with its review status and, once it is ready, the
            <code className="mx-1 rounded bg-slate-100 px-1">runs-on</code>label to use in your workflows.
          </EmptyState>
        ) : (
          <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Label</th>
                <th className="px-4 py-2">Status</th>
                <th className="px-4 py-2">Team</th>
                <th className="px-4 py-2">Cluster</th>
                <th className="px-4 py-2">Namespace</th>
                <th className="px-4 py-2">GPUs × max runners</th>
                <th className="px-4 py-2">Created</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.id} className="border-t border-slate-100">
                  <td className="px-4 py-2 font-mono">
                    <Link href={`/requests/${r.id}`} className="text-brand-700 hover:underline">
                      {r.label}
                    </Link>
                  </td>
                  <td className="px-4 py-2">
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="px-4 py-2">{r.team}</td>
                  <td className="px-4 py-2">
                    <ClusterBadge name={r.cluster} />
                  </td>
                  <td className="px-4 py-2 font-mono">{r.namespace}</td>
                  <td className="px-4 py-2">
                    {r.gpus} × {r.maxRunners}
                  </td>
                  <td className="px-4 py-2 text-slate-500">
                    <RelativeTime iso={r.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
