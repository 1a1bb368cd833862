import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/EmptyState";
import { TeamTable } from "@/components/teams/TeamTable";
import { allows, pageActor } from "@/lib/auth/gate";
import { listMyTeams } from "@/lib/teams/queries";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const actor = await pageActor("signed-in", "/teams");
  const teams = await listMyTeams(actor);
  const admin = allows(actor, "admin");
  return (
    <section>
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Teams</h1>
          <p className="mt-1 text-sm text-slate-600">
            The teams you are in. Everyone in a team sees and files its requests, and can add or remove its members.
          </p>
        </div>
        {admin ? (
          <Link href="/admin/teams" className="text-sm text-brand-700 hover:underline">
            All teams (admin)
          </Link>
        ) : null}
      </div>
      <div className="mt-6">
        {teams.length === 0 ? (
          <EmptyState
            title="You are not in a team yet"
            action={
              <Link href="/requests/new" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
                New request
              </Link>
            }
          >
            Filing a request under a new team name creates the team with you as its first member. To join an existing team, ask one of
            its members to add your GitHub login on the team&apos;s page.
          </EmptyState>
        ) : (
          <TeamTable teams={teams} caption="Your teams" />
        )}
      </div>
    </section>
  );
}
