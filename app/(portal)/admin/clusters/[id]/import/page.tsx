import type { Metadata } from "next";
import Link from "next/link";
import { pageActor } from "@/lib/auth/gate";
import { importTarget } from "@/lib/clusters/import-connection";
import { orNotFound } from "@/lib/page-errors";

export const metadata: Metadata = { title: "Import scale sets" };

export default async function ImportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await pageActor("admin", `/admin/clusters/${id}/import`);
  const { cluster } = await orNotFound(importTarget(id));
  const choice = "block rounded-lg border border-slate-200 bg-white p-5 hover:border-brand-600 hover:shadow-sm";
  return (
    <section>
      <p className="text-sm text-slate-500">Cluster {cluster.displayName}</p>
      <h1 className="text-2xl font-semibold">Import scale sets</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">
        Bring runner scale sets that were installed without the portal under its care, so that their teams can see them and
        ask for changes. Whatever the form cannot represent is listed and kept in an advanced overlay, never dropped.
      </p>
      <div className="mt-6 grid gap-4 sm:grid-cols-2">
        <Link href={`/admin/clusters/${id}/import/live`} className={choice}>
          <h2 className="font-medium">From the cluster</h2>
          <p className="mt-1 text-sm text-slate-600">
            List the AutoscalingRunnerSets on {cluster.displayName} that the portal does not manage, across namespaces, and
            import one as a READY request of a team. Nothing in the cluster changes.
          </p>
        </Link>
        <Link href={`/admin/clusters/${id}/import/values`} className={choice}>
          <h2 className="font-medium">From a values file</h2>
          <p className="mt-1 text-sm text-slate-600">
            Upload or paste a gha-runner-scale-set values file. If its scale set already runs, the import binds to it (READY);
            otherwise it becomes a request for a reviewer to approve.
          </p>
        </Link>
      </div>
    </section>
  );
}
