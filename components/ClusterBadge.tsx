/** Which cluster a request targets; with the requester's preference when the reviewer chose another. */
export function ClusterBadge({ name, preferred }: { name: string; preferred?: string | null }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span data-testid="cluster" className="inline-block rounded-full bg-violet-100 px-2 py-0.5 font-mono text-xs text-violet-800" title="Target cluster">
        {name}
      </span>
      {preferred && preferred !== name ? <span className="text-xs text-slate-500">(prefers {preferred})</span> : null}
    </span>
  );
}
