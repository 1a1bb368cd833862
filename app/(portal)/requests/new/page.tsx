import type { Metadata } from "next";
import { RequestForm } from "@/components/request-form/RequestForm";
import { pageActor } from "@/lib/auth/gate";
import { environmentSettings, environmentLimits } from "@/lib/clusters/settings";
import { clusterChoicesForForm } from "@/lib/requests/cluster-choice";

export const metadata: Metadata = { title: "New request" };

export default async function NewRequestPage() {
  await pageActor("signed-in", "/requests/new");
  const { choices, defaultClusterId } = await clusterChoicesForForm();
  return (
    <section>
      <h1 className="text-2xl font-semibold">Ask for GPU runners</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">
        Answer the questions below; the values file on the right shows what the cluster will run. An OSSCI reviewer checks the
        request, and once it is approved the portal installs the runner scale set for you.
      </p>
      <div className="mt-8">
        <RequestForm settings={environmentSettings()} limits={environmentLimits()} clusters={choices} defaultClusterId={defaultClusterId} />
      </div>
    </section>
  );
}
