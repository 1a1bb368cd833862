import type { Metadata } from "next";
import Link from "next/link";
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
  const teams = await teamsForImport();
  return (
    <section>
      <p className="text-sm text-slate-500">
        <Link href={`/admin/clusters/${id}/import`} className="hover:underline">
          Import
        </Link>{" "}
        · cluster {cluster.displayName}
      </p>
      <h1 className="text-2xl font-semibold">Import a values file</h1>
      <div className="mt-1 max-w-3xl space-y-1 text-sm text-slate-600">
        <p>
          The file is mapped onto the request form&apos;s fields. Anything the form cannot represent (extra hostPath volumes,
          supplementalGroups, an ephemeral-storage request, …) is listed and kept in an advanced overlay that the reviewer sees.
        </p>
        <p>
          <strong>What it becomes:</strong> the portal asks the cluster whether the scale set already runs. If it does (installed
          by hand), the import is READY and bound to it, with its live spec as the approved version, as an import from the
          cluster. If it does not, the import is a SUBMITTED request: a reviewer other than you approves it, as any new request.
        </p>
      </div>
      <div className="mt-6">
        <ValuesImport clusterId={id} teams={teams.map((t) => t.name)} />
      </div>
    </section>
  );
}
