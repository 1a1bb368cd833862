import type { Metadata } from "next";
import { ImportPageShell } from "@/components/admin/import/ImportPageShell";
import { ValuesImport } from "@/components/admin/import/ValuesImport";
import { pageActor } from "@/lib/auth/gate";
import { importTarget } from "@/lib/clusters/import-connection";
import { teamsForImport } from "@/lib/clusters/import-team";
import { orNotFound } from "@/lib/page-errors";

export const metadata: Metadata = { title: "Import a values file" };

export default async function ValuesImportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await pageActor("admin", `/admin/clusters/${id}/import/values`);
  const { cluster } = await orNotFound(importTarget(id));
  const teamNames = (await teamsForImport()).map((t) => t.name);
  return (
    <ImportPageShell
      clusterId={id}
      clusterName={cluster.displayName}
      title="Import a values file"
      intro={
        <>
          <p>
            The file is mapped onto the request form&apos;s fields. Anything the form cannot represent (extra hostPath volumes,
            supplementalGroups, an ephemeral-storage request, …) is listed and kept in an advanced overlay that the reviewer sees.
          </p>
          <p>
            <strong>What it becomes:</strong> the portal asks the cluster whether the scale set already runs. If it does (installed
            by hand), the import is READY and bound to it, with its live spec as the approved version, as an import from the
            cluster. If it does not, the import is a SUBMITTED request: a reviewer other than you approves it, as any new request.
          </p>
        </>
      }
    >
      <ValuesImport clusterId={id} teams={teamNames} />
    </ImportPageShell>
  );
}
