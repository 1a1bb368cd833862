import type { Metadata } from "next";
import Link from "next/link";
import { LiveImport } from "@/components/admin/import/LiveImport";
import { pageActor } from "@/lib/auth/gate";
import { IMPORT_CLUSTER_TIMEOUT_MS, importTarget } from "@/lib/clusters/import-connection";
import { teamsForImport } from "@/lib/clusters/import-team";
import { orNotFound } from "@/lib/page-errors";

export const metadata: Metadata = { title: "Import from the cluster" };

export default async function LiveImportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await pageActor("admin", `/admin/clusters/${id}/import/live`);
  const { cluster } = await orNotFound(importTarget(id));
  const teams = await teamsForImport();
  return (
    <section>
      <p className="text-sm text-slate-500">
        <Link href={`/admin/clusters/${id}/import`} className="hover:underline">
          Import
        </Link>{" "}
        · cluster {cluster.displayName}
      </p>
      <h1 className="text-2xl font-semibold">Import from the cluster</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">
        AutoscalingRunnerSets in every namespace that the portal neither applied nor knows from a request. Importing one only
        writes to the portal&apos;s database.
      </p>
      <div className="mt-6">
        <LiveImport clusterId={id} timeoutSeconds={IMPORT_CLUSTER_TIMEOUT_MS / 1000} teams={teams.map((t) => t.name)} />
      </div>
    </section>
  );
}
