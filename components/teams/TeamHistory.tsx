import { RelativeTime } from "@/components/RelativeTime";
import type { TeamHistoryEvent } from "@/lib/teams/queries";

function sentence(e: TeamHistoryEvent) {
  const who = e.actor ? `@${e.actor}` : "Someone";
  if (e.action === "TEAM_CREATED") return `${who} created the team with their first request`;
  const self = e.actor === e.target;
  if (e.action === "MEMBER_ADDED") return self ? `${who} joined` : `${who} added @${e.target}`;
  return self ? `${who} left the team` : `${who} removed @${e.target}`;
}

/** Every membership change, newest first, from the append-only TeamEvent table. */
export function TeamHistory({ events }: { events: TeamHistoryEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">No membership changes recorded yet.</p>;
  return (
    <ol aria-label="Membership history" className="relative space-y-3 border-l border-slate-200 pl-5">
      {events.map((e) => (
        <li key={e.id} data-testid="team-event" className="relative text-sm">
          <span className="absolute -left-[1.6rem] top-1.5 h-2.5 w-2.5 rounded-full bg-brand-600" aria-hidden />
          <span>{sentence(e)}</span> <span className="text-xs text-slate-500">· <RelativeTime iso={e.at} /></span>
        </li>
      ))}
    </ol>
  );
}
