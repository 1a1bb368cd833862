"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { GitHubCheckReport } from "@/components/GitHubCheckReport";
import { ValuesPreview } from "@/components/request-form/ValuesPreview";
import { RelativeTime } from "@/components/RelativeTime";
import { GitHubRunners } from "@/components/GitHubRunners";
import { RunnerStatus } from "@/components/RunnerStatus";
import { StatusBadge, statusText } from "@/components/StatusBadge";
import { Timeline } from "@/components/Timeline";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import { ActionPanel } from "./ActionPanel";
import { callApi, requestKey, type RequestView } from "./api";
import { ChangesTable } from "./ChangesTable";
import { ClusterBadge } from "@/components/ClusterBadge";
import { clusterLabel, type ClusterOption } from "./cluster-options";
import { ProvisioningProgress } from "./ProvisioningProgress";
import { RecheckGitHub } from "./RecheckGitHub";

function Answer({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-2 py-1.5">
      <dt className="text-slate-500">{term}</dt>
      <dd className="col-span-2 break-all">{children}</dd>
    </div>
  );
}

const KIND_NOTE: Record<string, string> = {
  CHANGE: "a change to a running scale set",
  DECOMMISSION: "removal of the scale set",
};

/** The request page; refetched after every decision, so it never needs a reload. */
/** What the runs-on label does now: it works once the scale set is READY. */
function labelState(status: string, reviewKind: string): { ready: boolean; text: string } {
  if (status === "READY") return { ready: true, text: "Ready: jobs with this label run on these runners." };
  // A change or removal under review: the scale set approved before keeps running meanwhile.
  if (reviewKind !== "NEW" && status !== "DECOMMISSIONED") return { ready: true, text: "Live: jobs with this label run on the runners approved before, while the change is handled." };
  if (status === "DECOMMISSIONED" || status === "REJECTED") return { ready: false, text: `This request is ${statusText(status)}: no runners answer to this label.` };
  return {
    ready: false,
    text: `Not usable yet: the label works once the request is ready (it is ${statusText(status)} now). Until then, jobs that ask for it wait on GitHub. The values.yaml below is what was asked for; a reviewer may still adjust it.`,
  };
}

export function RequestLive({
  initial,
  extra,
  clusters = [],
  clusterCount = clusters.length,
}: {
  initial: RequestView;
  extra?: ReactNode;
  clusters?: ClusterOption[];
  /** How many clusters the portal provisions on: with one, nobody chooses. */
  clusterCount?: number;
}) {
  const { data: r } = useQuery({
    queryKey: requestKey(initial.id),
    queryFn: () => callApi<{ request: RequestView }>(`/api/requests/${initial.id}`).then((b) => b.request),
    initialData: initial,
    // Fast while the worker is busy, so each provisioning step shows up as it happens.
    refetchInterval: (q) => (["APPROVED", "PROVISIONING"].includes(q.state.data?.status ?? "") ? 2_000 : 30_000),
  });
  const s = r.spec as StoredSpec;
  const live = r.status !== "DRAFT" && r.status !== "REJECTED" && (r.status !== "SUBMITTED" || r.reviewKind !== "NEW");
  const label = labelState(r.status, r.reviewKind);
  const lastWarning = r.events.findLast((e) => e.checkAgain)?.id;
  const preferred = r.preferredClusterId ? clusters.find((c) => c.id === r.preferredClusterId) : undefined;
  const preferredName = preferred ? clusterLabel(preferred) : null;
  return (
    <article className="space-y-8">
      <header>
        <p className="text-sm text-slate-500">
          Request #{r.number} · team {r.team.name} · cluster <ClusterBadge name={clusterLabel(r.cluster)} preferred={preferredName} />
          {r.status === "SUBMITTED" && r.reviewKind === "NEW" && clusterCount > 1 ? <span className="ml-1 text-xs">(the reviewer decides the cluster)</span> : null}
        </p>
        <div className="mt-1 flex items-center gap-3">
          <h1 className="font-mono text-2xl font-semibold">{r.label}</h1>
          <StatusBadge status={r.status} />
          {r.status === "SUBMITTED" && KIND_NOTE[r.reviewKind] ? <span className="text-sm text-slate-500">({KIND_NOTE[r.reviewKind]})</span> : null}
        </div>
        <p className="mt-1 text-sm text-slate-500">
          Requested by @{r.requester.login} <RelativeTime iso={r.createdAt} />
          {r.submittedBy && r.submittedBy !== r.requester.login ? <> · this version sent by @{r.submittedBy}</> : null}
        </p>
        {r.teamStaff.length > 0 ? (
          <ul aria-label="Staff in this team" className="mt-2 space-y-1 text-sm text-amber-900">
            {r.teamStaff.map((m) => (
              <li key={m.login} data-testid="team-staff">
                {m.role === "ADMIN" ? "Portal admin" : "Reviewer"} @{m.login} is a member of team {r.team.name} and cannot approve its requests.
              </li>
            ))}
          </ul>
        ) : null}
        {r.forReviewer && r.status !== "DRAFT" ? <NamespaceOwnerNote view={r} /> : null}
      </header>

      <ActionPanel view={r} clusters={clusters} />
      <ProvisioningProgress view={r} />
      {extra}
      {/* From the page's current status, so a decision taken here shows them without a reload. */}
      {live ? <RunnerStatus requestId={r.id} /> : null}
      {live ? <GitHubRunners requestId={r.id} /> : null}

      {r.githubCheck ? (
        <section aria-label="GitHub check" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 font-medium">What GitHub says</h2>
          <GitHubCheckReport check={r.githubCheck} standingTitle="The requester's access" />
          {r.githubRecheck ? (
            <div className="mt-2 rounded-md border border-amber-200 bg-amber-50 p-2 text-sm text-amber-900">
              <p>GitHub could not be reached for part of this check; check again before approving.</p>
              <RecheckGitHub requestId={r.id} />
            </div>
          ) : null}
          <p className="mt-2 text-xs text-slate-500">
            Checked <RelativeTime iso={r.githubCheck.checkedAt} />.
          </p>
        </section>
      ) : null}

      {r.changesSinceApproval && Object.keys(r.changesSinceApproval).length ? (
        <section aria-label="Changes since approval" className="rounded-lg border border-amber-200 bg-amber-50 p-4">
          <ChangesTable changes={r.changesSinceApproval} caption="Changes against the approved version" />
        </section>
      ) : null}

      <section aria-label="Use your runners" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-medium">Use it in a workflow</h2>
        <p data-testid="label-state" className={`mt-1 text-sm ${label.ready ? "text-emerald-700" : "text-amber-800"}`}>
          {label.text}
        </p>
        <pre className="mt-2 rounded bg-slate-900 p-3 text-sm text-slate-100">
          <code>{`jobs:\n  test:\n    runs-on: ${r.label}`}</code>
        </pre>
        <a href={`/api/requests/${r.id}/values`} download className="mt-3 inline-block rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50">
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
              {s.gpuClass ? <Answer term="GPU class">{s.gpuClass}</Answer> : null}
              <Answer term="Runners">
                {s.minRunners} to {s.maxRunners}
              </Answer>
              <Answer term="Docker">{s.docker ? "yes (dind sidecar)" : "no"}</Answer>
              <Answer term="Runner image">{s.image ?? "cluster default"}</Answer>
              <Answer term="GitHub App">
                App {s.githubApp.appId ?? "not given"}, installation {s.githubApp.installationId ?? "not given"}
              </Answer>
              <Answer term="Private key">
                {r.keyFingerprint ? (
                  <span className="font-mono text-xs" data-testid="key-fingerprint">
                    {r.keyFingerprint}
                  </span>
                ) : (
                  "not given yet"
                )}
              </Answer>
              <Answer term="Secret in the cluster">
                <span className="font-mono">{r.artifacts.secretName}</span>
              </Answer>
            </dl>
          </section>
          <section aria-label="History">
            <h2 className="mb-3 font-medium">Timeline</h2>
            <Timeline events={r.events} aside={(e) => (r.githubRecheck && e.id === lastWarning ? <RecheckGitHub requestId={r.id} /> : null)} />
          </section>
        </div>
        <ValuesPreview docs={{ label: r.label, values: r.artifacts.values, manifests: r.artifacts.manifests, workflow: r.artifacts.workflow }} />
      </div>
    </article>
  );
}

/** For reviewers: whose namespace this is on the cluster, claimed at submission and checked at approval. */
function NamespaceOwnerNote({ view }: { view: RequestView }) {
  const owner = view.namespaceOwner;
  const where = `Namespace ${view.namespace} on cluster ${clusterLabel(view.cluster)}`;
  const text = !owner
    ? `${where} is not claimed by any team yet; approving claims it for team ${view.team.name}.`
    : owner.teamId === view.team.id
      ? `${where} belongs to team ${owner.team}.`
      : `${where} belongs to team ${owner.team}, not to ${view.team.name}: approving is refused.`;
  return (
    <p data-testid="namespace-owner" className={`mt-1 text-sm ${owner && owner.teamId !== view.team.id ? "text-red-800" : "text-slate-500"}`}>
      {text}
    </p>
  );
}
