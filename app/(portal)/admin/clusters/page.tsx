import type { Metadata } from "next";
import Link from "next/link";
import { ClusterReachability } from "@/components/admin/ClusterReachability";
import { connectionKind } from "@/components/admin/ConnectionLabel";
import { EmptyState } from "@/components/EmptyState";
import { RelativeTime } from "@/components/RelativeTime";
import { pageActor } from "@/lib/auth/gate";
import { clusterOverview } from "@/lib/clusters/registry";

export const metadata: Metadata = { title: "Clusters" };

const registerLink = (
  <Link href="/admin/clusters/new" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
    Register a cluster
  </Link>
);

export default async function ClustersPage() {
  await pageActor("admin", "/admin/clusters");
  const clusters = await clusterOverview();
  return (
    <section>
      <div className="flex items-center justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Clusters</h1>
          <p className="mt-1 text-sm text-slate-600">The Kubernetes clusters runner scale sets are provisioned on, each with its own settings.</p>
        </div>
        {clusters.length > 0 ? registerLink : null}
      </div>
      <div className="mt-6">
        {clusters.length === 0 ? (
          <EmptyState title="No clusters registered yet" action={registerLink}>
            A cluster is a Kubernetes cluster with the ARC controller (gha-runner-scale-set-controller) installed. The portal
            connects to it with a kubeconfig, or with its own service account when it runs inside that cluster, and creates each
            approved team&apos;s scale set there using the cluster&apos;s settings.
          </EmptyState>
        ) : (
          <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm" data-testid="cluster-list">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Cluster</th>
                <th className="px-4 py-2">Connection</th>
                <th className="px-4 py-2">API server</th>
                <th className="px-4 py-2">Reachable</th>
                <th className="px-4 py-2 text-right">Scale sets</th>
                <th className="px-4 py-2">Settings last changed</th>
              </tr>
            </thead>
            <tbody>
              {clusters.map((c) => (
                <tr key={c.id} className="border-t border-slate-100" data-testid="cluster-row">
                  <td className="px-4 py-2">
                    <Link href={`/admin/clusters/${c.id}`} className="font-medium text-brand-700 hover:underline">
                      {c.name}
                    </Link>
                    <div className="text-xs text-slate-500">{c.displayName}</div>
                  </td>
                  <td className="px-4 py-2">{connectionKind(c.summary.connection)}</td>
                  <td className="px-4 py-2 font-mono text-xs">{c.summary.serverHost ?? <span className="text-slate-400">—</span>}</td>
                  <td className="px-4 py-2">
                    <ClusterReachability clusterId={c.id} />
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{c.scaleSets}</td>
                  <td className="px-4 py-2 text-slate-600">
                    {c.lastChange ? (
                      <>
                        <RelativeTime iso={c.lastChange.at.toISOString()} /> by {c.lastChange.by ?? "the portal"}
                      </>
                    ) : (
                      "never (the ARC_* environment's settings)"
                    )}
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
