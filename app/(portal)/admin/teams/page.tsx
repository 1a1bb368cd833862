import type { Metadata } from "next";
import { EmptyState } from "@/components/EmptyState";
import { TeamTable } from "@/components/teams/TeamTable";
import { pageActor } from "@/lib/auth/gate";
import { listAllTeams } from "@/lib/teams/queries";

export const metadata: Metadata = { title: "All teams" };

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export default async function AdminTeamsPage() {
  await pageActor("admin", "/admin/teams");
  const teams = await listAllTeams();
  const members = teams.reduce((n, t) => n + t.memberCount, 0);
  const requests = teams.reduce((n, t) => n + t.requestCount, 0);
  return (
    <section>
      <h1 className="text-2xl font-semibold">All teams</h1>
      <p className="mt-1 text-sm text-slate-600">
        Every team in the portal. As an admin you can add and remove members of any team on its page, for example when a team&apos;s
        only member has left.
      </p>
      {teams.length > 0 ? (
        <p className="mt-3 text-sm text-slate-700">
          {count(teams.length, "team")} · {count(members, "membership")} · {count(requests, "request")}
        </p>
      ) : null}
      <div className="mt-6">
        {teams.length === 0 ? (
          <EmptyState title="No teams yet">A team is created when someone files the first request under its name.</EmptyState>
        ) : (
          <TeamTable teams={teams} caption="All teams" />
        )}
      </div>
    </section>
  );
}
