import type { ReactNode } from "react";

/** A labelled form control with its help text and, when there is one, its error. */
export function Field({
  id,
  label,
  help,
  error,
  alert = false,
  children,
}: {
  id: string;
  label: string;
  help: ReactNode;
  error?: string;
  /** Announce the error as it appears (one raised on the spot, not by a submit that says so itself). */
  alert?: boolean;
  children: (props: { id: string; "aria-describedby": string; "aria-invalid": boolean }) => ReactNode;
}) {
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="mt-1">{children({ id, "aria-describedby": error ? `${errorId} ${helpId}` : helpId, "aria-invalid": !!error })}</div>
      {error ? (
        <p id={errorId} role={alert ? "alert" : undefined} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <p id={helpId} className="mt-1 text-xs text-slate-500">
        {help}
      </p>
    </div>
  );
}

export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600 aria-[invalid=true]:border-red-500";
