import Link from "next/link";
import type { ReactNode } from "react";

/** The way back to the import choice, the heading and what this kind of import does. */
export function ImportPageShell({ clusterId, clusterName, title, intro, children }: { clusterId: string; clusterName: string; title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <section>
      <p className="text-sm text-slate-500">
        <Link href={`/admin/clusters/${clusterId}/import`} className="hover:underline">
          Import
        </Link>{" "}
        · cluster {clusterName}
      </p>
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div className="mt-1 max-w-3xl space-y-1 text-sm text-slate-600">{intro}</div>
      <div className="mt-6">{children}</div>
    </section>
  );
}
