import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formFromSpec } from "@/components/request-form/form-state";
import { RequestForm } from "@/components/request-form/RequestForm";
import { pageActor } from "@/lib/auth/gate";
import { loadClusterSettings } from "@/lib/clusters/cluster-settings";
import { limitsOn } from "@/lib/clusters/settings";
import { clusterChoicesForForm } from "@/lib/requests/cluster-choice";
import { orNotFound } from "@/lib/page-errors";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import { requestView } from "@/lib/requests/view";

export const metadata: Metadata = { title: "Edit request" };

const HEADINGS: Record<string, string> = {
  DRAFT: "Finish your draft",
  CHANGES_REQUESTED: "Edit and resubmit",
  READY: "Ask for a change",
};

export default async function EditRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await pageActor("signed-in", `/requests/${id}/edit`);
  const view = await orNotFound(requestView(actor, id));
  if (!view.canEdit) notFound();
  const { choices, defaultClusterId } = await clusterChoicesForForm();
  // The request's own cluster's settings, for a preferred cluster the form does not offer.
  const settings = await loadClusterSettings(view.cluster.id);
  const reviewerNote = [...view.events].reverse().find((e) => e.type === "request_changes")?.message;
  return (
    <section>
      <p className="text-sm text-slate-500">Request #{view.number}</p>
      <h1 className="text-2xl font-semibold">{HEADINGS[view.status]}</h1>
      {view.status === "CHANGES_REQUESTED" && reviewerNote ? (
        <p className="mt-3 max-w-3xl rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          The reviewer asked: {reviewerNote}
        </p>
      ) : null}
      {view.status === "READY" ? (
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Your runners keep running as they are until a reviewer approves the change. The label, namespace and cluster stay the same.
        </p>
      ) : null}
      <div className="mt-8">
        <RequestForm
          settings={settings}
          limits={limitsOn(settings)}
          clusters={choices}
          defaultClusterId={defaultClusterId}
          edit={{
            id: view.id,
            version: view.version,
            status: view.status,
            keyFingerprint: view.keyFingerprint,
            form: formFromSpec(view.spec as StoredSpec),
            clusterId: view.cluster.id,
            preferredClusterId: view.preferredClusterId,
          }}
        />
      </div>
    </section>
  );
}
