import type { ConnectionSummary } from "@/lib/clusters/connection-summary";

const KIND: Record<ConnectionSummary["connection"], string> = {
  ENVIRONMENT: "Portal's own (KUBECONFIG)",
  IN_CLUSTER: "In-cluster service account",
  KUBECONFIG: "Stored kubeconfig",
};

/** How the portal reaches a cluster, in words; the kubeconfig only by its fingerprint. */
export function connectionKind(c: ConnectionSummary["connection"]): string {
  return KIND[c];
}

export function ConnectionDetails({ summary }: { summary: ConnectionSummary }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-500">Connection</dt>
      <dd data-testid="connection-kind">{connectionKind(summary.connection)}</dd>
      <dt className="text-slate-500">API server</dt>
      <dd data-testid="server-host" className="font-mono">{summary.serverHost ?? "—"}</dd>
      {summary.fingerprint ? (
        <>
          <dt className="text-slate-500">Kubeconfig fingerprint</dt>
          <dd data-testid="kubeconfig-fingerprint" className="font-mono">{summary.fingerprint}</dd>
        </>
      ) : null}
      {summary.problem ? (
        <>
          <dt className="text-slate-500">Problem</dt>
          <dd className="text-red-700">{summary.problem}</dd>
        </>
      ) : null}
    </dl>
  );
}
