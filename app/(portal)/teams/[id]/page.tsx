import type { Metadata } from "next";
import Link from "next/link";
import { RelativeTime } from "@/components/RelativeTime";
import { StatusBadge } from "@/components/StatusBadge";
import { MemberManager } from "@/components/teams/MemberManager";
import { TeamHistory } from "@/components/teams/TeamHistory";
import { allows, pageActor } from "@/lib/auth/gate";
import { orNotFound } from "@/lib/page-errors";
import { teamView } from "@/lib/teams/queries";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await pageActor("signed-in", `/teams/${id}`);
  const team = await orNotFound(teamView(actor, id));
  return (
    <section className="space-y-8">
      <div>
        <Link href="/teams" className="text-sm text-brand-700 hover:underline">
          ← Teams
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">{team.name}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {team.members.length} {team.members.length === 1 ? "member" : "members"} · {team.requestCount}{" "}
          {team.requestCount === 1 ? "request" : "requests"} · created <RelativeTime iso={team.createdAt} />
        </p>
      </div>

      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="mb-3 text-lg font-medium">
          Members
        </h2>
        <MemberManager
          teamId={team.id}
          members={team.members}
          canManage={team.access === "manage"}
          self={actor.login}
          keepsAccess={allows(actor, "reviewer")}
        />
      </section>

      <section aria-labelledby="requests-heading">
        <h2 id="requests-heading" className="mb-3 text-lg font-medium">
          Requests
        </h2>
        {team.requests.length === 0 ? (
          <p className="text-sm text-slate-500">The team has not filed a request yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
            {team.requests.map((r) => (
              <li key={r.id} className="flex items-center gap-3 px-4 py-2">
                <Link href={`/requests/${r.id}`} className="font-mono text-brand-700 hover:underline">
                  {r.label}
                </Link>
                <StatusBadge status={r.status} />
                <span className="ml-auto text-xs text-slate-500">
                  <RelativeTime iso={r.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        )}
        {team.requestCount > team.requests.length ? (
          <p className="mt-2 text-xs text-slate-500">
            The {team.requests.length} newest of {team.requestCount}.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading" className="mb-3 text-lg font-medium">
          Membership history
        </h2>
        <TeamHistory events={team.history} />
      </section>
    </section>
  );
}
