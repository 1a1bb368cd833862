const STYLE: Record<string, string> = {
  DRAFT: "bg-slate-100 text-slate-700",
  SUBMITTED: "bg-sky-100 text-sky-800",
  CHANGES_REQUESTED: "bg-amber-100 text-amber-800",
  REJECTED: "bg-red-100 text-red-800",
  APPROVED: "bg-indigo-100 text-indigo-800",
  PROVISIONING: "bg-indigo-100 text-indigo-800",
  READY: "bg-emerald-100 text-emerald-800",
  FAILED: "bg-red-100 text-red-800",
  DECOMMISSIONED: "bg-slate-200 text-slate-600",
};

export const statusText = (s: string) => s.toLowerCase().replace(/_/g, " ");

export function StatusBadge({ status }: { status: string }) {
  return (
    <span data-testid="status" className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${STYLE[status] ?? STYLE.DRAFT}`}>
      {statusText(status)}
    </span>
  );
}
