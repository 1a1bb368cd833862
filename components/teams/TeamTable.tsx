import Link from "next/link";
import type { TeamSummary } from "@/lib/teams/queries";

const MEMBERS_SHOWN = 6;

/** Teams with who is in them and how many requests they filed; each links to its page. */
export function TeamTable({ teams, caption }: { teams: TeamSummary[]; caption: string }) {
  return (
    <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="px-4 py-2">Team</th>
          <th className="px-4 py-2">Members</th>
          <th className="px-4 py-2 text-right">Requests</th>
        </tr>
      </thead>
      <tbody>
        {teams.map((t) => (
          <tr key={t.id} data-testid="team-row" className="border-t border-slate-100">
            <td className="px-4 py-2 font-medium">
              <Link href={`/teams/${t.id}`} className="text-brand-700 hover:underline">
                {t.name}
              </Link>
            </td>
            <td className="px-4 py-2 text-slate-700">
              <span className="mr-2 inline-block min-w-6 rounded-full bg-slate-100 px-2 text-center text-xs font-medium" aria-label={`${t.memberCount} members`}>
                {t.memberCount}
              </span>
              {t.members
                .slice(0, MEMBERS_SHOWN)
                .map((l) => `@${l}`)
                .join(", ")}
              {t.memberCount > MEMBERS_SHOWN ? ` and ${t.memberCount - MEMBERS_SHOWN} more` : ""}
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{t.requestCount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
