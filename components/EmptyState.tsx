import type { ReactNode } from "react";

export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
      <h2 className="text-lg font-medium text-slate-900">{title}</h2>
      <div className="mx-auto mt-2 max-w-md text-sm text-slate-600">{children}</div>
      {action ? <div className="mt-6">{action}</div> : null}
    </div>
  );
}
