import { RelativeTime } from "@/components/RelativeTime";

export interface HistoryItem {
  id: string;
  /** One sentence: who did what. */
  text: string;
  at: string;
  note?: string | null;
}

/** An append-only history (teams, people) as a timeline, newest first, or `empty` when there is none. */
export function HistoryList({ label, itemTestId, items, empty }: { label: string; itemTestId: string; items: HistoryItem[]; empty: string }) {
  if (items.length === 0) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <ol aria-label={label} className="relative space-y-3 border-l border-slate-200 pl-5">
      {items.map((e) => (
        <li key={e.id} data-testid={itemTestId} className="relative text-sm">
          <span className="absolute -left-[1.6rem] top-1.5 h-2.5 w-2.5 rounded-full bg-brand-600" aria-hidden />
          <span>{e.text}</span> <span className="text-xs text-slate-500">· <RelativeTime iso={e.at} /></span>
          {e.note ? <p className="text-xs text-amber-800">{e.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}
