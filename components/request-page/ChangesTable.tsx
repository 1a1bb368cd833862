const show = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** Before → after, one row per changed answer. */
export function ChangesTable({ changes, caption }: { changes: Record<string, { before: unknown; after: unknown }>; caption: string }) {
  const rows = Object.entries(changes);
  if (rows.length === 0) return null;
  return (
    <table className="w-full text-sm" aria-label={caption}>
      <caption className="pb-1 text-left text-xs font-medium uppercase tracking-wide text-slate-500">{caption}</caption>
      <tbody>
        {rows.map(([field, { before, after }]) => (
          <tr key={field} className="border-t border-slate-100">
            <th scope="row" className="py-1 pr-3 text-left font-normal text-slate-500">
              {field}
            </th>
            <td className="py-1 pr-3 font-mono text-red-700 line-through">{show(before)}</td>
            <td className="py-1 font-mono text-emerald-700">{show(after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
