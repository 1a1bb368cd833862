"use client";

import { useQuery } from "@tanstack/react-query";
import type { LocalClusterView } from "@/lib/kube/local-cluster";
import { callApi } from "./request-page/api";
import { RelativeTime } from "./RelativeTime";

const SETTLED = new Set(["ready", "failed", "none"]);

/**
 * The local cluster of `npm start`: its build's progress while it comes up, then what it is
 * (and is not) and how to use a real cluster instead.
 */
export function LocalClusterBanner({ initial }: { initial: LocalClusterView }) {
  const { data } = useQuery({
    queryKey: ["local-cluster"],
    queryFn: () => callApi<LocalClusterView>("/api/local-cluster"),
    initialData: initial,
    refetchInterval: (q) => (SETTLED.has(q.state.data?.state ?? "none") ? false : 3000),
  });
  if (data.state === "none") return null;
  const realCluster = (
    <>
      To use a real cluster, stop the portal and start it with <code className="font-mono">KUBECONFIG=/path/to/kubeconfig npm start</code>.
    </>
  );
  if (data.state === "ready") {
    return (
      <Banner tone="info" title="Local cluster">
        This portal provisions on a local kube-apiserver with ARC&apos;s CRDs but <strong>without the ARC controller</strong>: scale sets,
        Secrets and RBAC are really created and reach READY, but no runner pod will ever start. Its two GPU nodes are simulated
        (8 GPUs, 128 cores and 2Ti each) so that the capacity check has something to count. {realCluster}
      </Banner>
    );
  }
  if (data.state === "failed") {
    return (
      <Banner tone="error" title="Local cluster: could not start">
        {data.message ?? "See the npm start log."} Approved requests stay approved. {realCluster}
      </Banner>
    );
  }
  const building = data.state === "building" && data.step && data.steps;
  return (
    <Banner tone="progress" title={building ? `Local cluster: building, ${data.step} of ${data.steps}` : "Local cluster: starting"}>
      {building ? <>{data.label}. </> : null}
      The first build takes 3 to 7 minutes on a new machine
      {data.startedAt ? (
        <>
          {" "}
          (started <RelativeTime iso={data.startedAt} />)
        </>
      ) : null}
      . Requests can be filed and approved meanwhile; they are provisioned as soon as the cluster is ready.
      {building ? (
        <progress className="mt-2 block h-2 w-full accent-amber-600" max={data.steps} value={data.step! - 1} aria-label="Local cluster build progress" />
      ) : null}
    </Banner>
  );
}

const TONES = {
  info: "border-sky-200 bg-sky-50 text-sky-900",
  progress: "border-amber-200 bg-amber-50 text-amber-900",
  error: "border-red-200 bg-red-50 text-red-900",
} as const;

function Banner({ tone, title, children }: { tone: keyof typeof TONES; title: string; children: React.ReactNode }) {
  return (
    <section role="status" aria-label={title} className={`border-b px-6 py-2 text-sm ${TONES[tone]}`}>
      <div className="mx-auto max-w-6xl">
        <strong className="mr-2">{title}.</strong>
        {children}
      </div>
    </section>
  );
}
