import type { Metadata } from "next";
import { ImportPageShell } from "@/components/admin/import/ImportPageShell";
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
  const teamNames = (await teamsForImport()).map((t) => t.name);
  return (
    <ImportPageShell
      clusterId={id}
      clusterName={cluster.displayName}
      title="Import from the cluster"
      intro={
        <p>
          AutoscalingRunnerSets in every namespace that the portal neither applied nor knows from a request. Importing one only
          writes to the portal&apos;s database.
        </p>
      }
    >
      <LiveImport clusterId={id} timeoutSeconds={IMPORT_CLUSTER_TIMEOUT_MS / 1000} teams={teamNames} />
    </ImportPageShell>
  );
}
