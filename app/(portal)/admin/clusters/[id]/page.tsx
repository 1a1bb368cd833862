import type { Metadata } from "next";
import Link from "next/link";
import { ClusterReachability } from "@/components/admin/ClusterReachability";
import { ClusterSettingsEditor } from "@/components/admin/ClusterSettingsEditor";
import { ConnectionDetails } from "@/components/admin/ConnectionLabel";
import { SettingsHistory } from "@/components/admin/SettingsHistory";
import { pageActor } from "@/lib/auth/gate";
import { clusterForAdmin } from "@/lib/clusters/registry";
import { settingsView } from "@/lib/clusters/settings-admin";
import { orNotFound } from "@/lib/page-errors";

export const metadata: Metadata = { title: "Cluster" };

export default async function ClusterPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ registered?: string }> }) {
  const { id } = await params;
  await pageActor("admin", `/admin/clusters/${id}`);
  const [cluster, view] = await orNotFound(Promise.all([clusterForAdmin(id), settingsView(id)]));
  const registered = (await searchParams).registered === "1";
  return (
    <section className="space-y-10">
      <div>
        <p className="text-sm">
          <Link href="/admin/clusters" className="text-brand-700 hover:underline">
            ← Clusters
          </Link>
        </p>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold" data-testid="cluster-name">
              {cluster.name}
            </h1>
            <p className="text-sm text-slate-600">{cluster.displayName}</p>
          </div>
          <Link
            href={`/admin/clusters/${id}/import`}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:border-brand-600"
          >
            Import scale sets
          </Link>
        </div>
        {registered ? (
          <p role="status" className="mt-4 rounded-md bg-green-50 px-3 py-2 text-sm text-green-900">
            Cluster registered. Review its settings below before the first request is provisioned on it.
          </p>
        ) : null}
        <div className="mt-4 rounded-lg border border-slate-200 bg-white p-4">
          <ConnectionDetails summary={cluster.summary} />
          <p className="mt-2 text-sm">
            <span className="text-slate-500">Right now: </span>
            <ClusterReachability clusterId={id} />
          </p>
        </div>
      </div>

      <div>
        <h2 className="text-lg font-semibold">Settings</h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Every scale set on this cluster is rendered with these. A change is recorded with your name; it applies to new requests at
          once, and to a live scale set only when a reviewer re-applies it.
          {view.usesEnvironment ? " This cluster has not saved settings of its own yet: these are the portal's ARC_* environment settings." : ""}
        </p>
        <div className="mt-6">
          <ClusterSettingsEditor clusterId={id} initial={view.settings} version={view.version} />
        </div>
      </div>

      <div>
        <h2 className="text-lg font-semibold">History</h2>
        <div className="mt-4">
          <SettingsHistory history={view.history} />
        </div>
      </div>
    </section>
  );
}
