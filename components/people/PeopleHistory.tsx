import { RelativeTime } from "@/components/RelativeTime";
import type { PersonHistoryEvent } from "@/lib/people/queries";

function sentence(e: PersonHistoryEvent) {
  const who = e.actor ? `@${e.actor}` : "Someone";
  if (e.action === "REACTIVATED") return `${who} reactivated @${e.target}`;
  const ended = e.sessionsEnded ? ` (${e.sessionsEnded} session${e.sessionsEnded === 1 ? "" : "s"} ended)` : "";
  return `${who} deactivated @${e.target}${ended}`;
}

/** Deactivations and reactivations, newest first, from the append-only PersonEvent table. */
export function PeopleHistory({ events }: { events: PersonHistoryEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">Nobody has been deactivated or reactivated yet.</p>;
  return (
    <ol aria-label="Deactivation history" className="relative space-y-3 border-l border-slate-200 pl-5">
      {events.map((e) => (
        <li key={e.id} data-testid="person-event" className="relative text-sm">
          <span className="absolute -left-[1.6rem] top-1.5 h-2.5 w-2.5 rounded-full bg-brand-600" aria-hidden />
          <span>{sentence(e)}</span> <span className="text-xs text-slate-500">· <RelativeTime iso={e.at} /></span>
          {e.note ? <p className="text-xs text-amber-800">{e.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}
