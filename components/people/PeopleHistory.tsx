import { HistoryList } from "@/components/HistoryList";
import type { PersonHistoryEvent } from "@/lib/people/queries";

function sentence(e: PersonHistoryEvent) {
  const who = e.actor ? `@${e.actor}` : "Someone";
  if (e.action === "REACTIVATED") return `${who} reactivated @${e.target}`;
  const ended = e.sessionsEnded ? ` (${e.sessionsEnded} session${e.sessionsEnded === 1 ? "" : "s"} ended)` : "";
  return `${who} deactivated @${e.target}${ended}`;
}

/** Deactivations and reactivations, newest first, from the append-only PersonEvent table. */
export function PeopleHistory({ events }: { events: PersonHistoryEvent[] }) {
  return (
    <HistoryList
      label="Deactivation history"
      itemTestId="person-event"
      items={events.map((e) => ({ id: e.id, text: sentence(e), at: e.at, note: e.note }))}
      empty="Nobody has been deactivated or reactivated yet."
    />
  );
}
