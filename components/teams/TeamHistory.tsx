import { HistoryList } from "@/components/HistoryList";
import type { TeamHistoryEvent } from "@/lib/teams/queries";

function sentence(e: TeamHistoryEvent) {
  const who = e.actor ? `@${e.actor}` : "Someone";
  if (e.action === "TEAM_CREATED") return `${who} created the team with their first request`;
  const self = e.actor === e.target;
  // Staff in a team may approve none of its requests: say so where everyone reads the history.
  const staff = e.targetRole ? ` (${e.targetRole === "ADMIN" ? "portal admin" : "OSSCI reviewer"})` : "";
  if (e.action === "MEMBER_ADDED") return self ? `${who}${staff} joined` : `${who} added @${e.target}${staff}`;
  return self ? `${who} left the team` : `${who} removed @${e.target}`;
}

/** Every membership change, newest first, from the append-only TeamEvent table. */
export function TeamHistory({ events }: { events: TeamHistoryEvent[] }) {
  return (
    <HistoryList
      label="Membership history"
      itemTestId="team-event"
      items={events.map((e) => ({ id: e.id, text: sentence(e), at: e.at }))}
      empty="No membership changes recorded yet."
    />
  );
}
