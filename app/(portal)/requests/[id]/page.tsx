import type { Metadata } from "next";
import { RelativeTime } from "@/components/RelativeTime";
import { StatusBadge } from "@/components/StatusBadge";
import { Timeline } from "@/components/Timeline";
import { ValuesPreview } from "@/components/request-form/ValuesPreview";
import { pageActor } from "@/lib/auth/gate";
import { orNotFound } from "@/lib/page-errors";
import { getRequest } from "@/lib/requests/queries";
import { renderRequestArtifacts } from "@/lib/requests/render";

export const metadata: Metadata = { title: "Request" };

function Answer({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-2 py-1.5">
      <dt className="text-slate-500">{term}</dt>
      <dd className="col-span-2 break-all">{children}</dd>
    </div>
  );
}

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await pageActor("signed-in", `/requests/${id}`);
  const r = await orNotFound(getRequest(actor, id));
  const art = renderRequestArtifacts(r);
  const s = r.spec;
  return (
    <article className="space-y-8">
      <header>
        <p className="text-sm text-slate-500">
          Request #{r.number} · team {r.team.name} · cluster {r.cluster.displayName}
        </p>
        <div className="mt-1 flex items-center gap-3">
          <h1 className="font-mono text-2xl font-semibold">{r.label}</h1>
          <StatusBadge status={r.status} />
        </div>
        <p className="mt-1 text-sm text-slate-500">
          Requested by @{r.requester.login} <RelativeTime iso={r.createdAt.toISOString()} />
        </p>
      </header>

      <section aria-label="Use your runners" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-medium">Use it in a workflow</h2>
        <pre className="mt-2 rounded bg-slate-900 p-3 text-sm text-slate-100">
          <code>{`jobs:\n  test:\n    runs-on: ${r.label}`}</code>
        </pre>
        <a
          href={`/api/requests/${r.id}/values`}
          download
          className="mt-3 inline-block rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
        >
          Download values.yaml
        </a>
      </section>

      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_minmax(0,28rem)]">
        <div className="space-y-8">
          <section aria-label="Answers">
            <h2 className="font-medium">Answers</h2>
            <dl className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white px-4 text-sm">
              <Answer term="Team">{s.team}</Answer>
              <Answer term="Contact">{s.contact}</Answer>
              <Answer term="GitHub URL">{s.githubConfigUrl}</Answer>
              <Answer term="Namespace">
                <span className="font-mono">{r.namespace}</span>
              </Answer>
              <Answer term="Memory per runner">{s.memory}</Answer>
              <Answer term="CPU cores per runner">{s.cpu}</Answer>
              <Answer term="GPUs per runner">{s.gpus}</Answer>
              <Answer term="Runners">
                {s.minRunners} to {s.maxRunners}
              </Answer>
              <Answer term="Docker">{s.docker ? "yes (dind sidecar)" : "no"}</Answer>
              <Answer term="Runner image">{s.image ?? "cluster default"}</Answer>
              <Answer term="GitHub App">
                App {s.githubApp.appId ?? "not given"}, installation {s.githubApp.installationId ?? "not given"}
              </Answer>
              <Answer term="Private key">
                {r.privateKeyFingerprint ? (
                  <span className="font-mono text-xs" data-testid="key-fingerprint">
                    {r.privateKeyFingerprint}
                  </span>
                ) : (
                  "not given yet"
                )}
              </Answer>
              <Answer term="Secret in the cluster">
                <span className="font-mono">{art.secretName}</span>
              </Answer>
            </dl>
          </section>
          <section aria-label="History">
            <h2 className="mb-3 font-medium">Timeline</h2>
            <Timeline
              events={r.events.map((e) => ({
                id: e.id,
                type: e.type,
                createdAt: e.createdAt.toISOString(),
                actor: e.actor?.login ?? null,
                fromStatus: e.fromStatus,
                toStatus: e.toStatus,
                message: e.message,
              }))}
            />
          </section>
        </div>
        <ValuesPreview docs={{ label: r.label, values: art.values, manifests: art.manifests, workflow: art.workflow }} />
      </div>
    </article>
  );
}
