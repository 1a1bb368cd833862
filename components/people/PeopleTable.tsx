"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { RelativeTime } from "@/components/RelativeTime";
import { RoleBadge } from "@/components/RoleBadge";
import { inputClass } from "@/components/request-form/Field";
import { callApi, type ApiError } from "@/components/request-page/api";
import type { PersonRow } from "@/lib/people/queries";

type Pending = { person: PersonRow; action: "deactivate" | "reactivate" };
type Result = { login: string; active: boolean; sessionsEnded?: number; warning?: string };

/**
 * Everyone who has signed in, filterable by login, with Deactivate / Reactivate behind a
 * confirmation that says what happens. The server decides (lib/people/activation.ts).
 */
export function PeopleTable({ people, self }: { people: PersonRow[]; self: string }) {
  const router = useRouter();
  const [filter, setFilter] = useState("");
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<{ kind: "ok" | "warn" | "error"; text: string } | null>(null);

  const change = useMutation({
    mutationFn: ({ person, action }: Pending) => callApi<Result>(`/api/admin/people/${person.id}/${action}`, { method: "POST" }),
    onSuccess: (r) => {
      setPending(null);
      const text = r.active
        ? `Reactivated @${r.login}. They can sign in again; their role is recomputed at that sign-in.`
        : `Deactivated @${r.login}. ${r.sessionsEnded ?? 0} session${r.sessionsEnded === 1 ? "" : "s"} ended.`;
      setNotice({ kind: r.warning ? "warn" : "ok", text: r.warning ? `${text} ${r.warning}` : text });
      router.refresh();
    },
    onError: (e: ApiError) => {
      setPending(null);
      setNotice({ kind: "error", text: e.error });
      router.refresh();
    },
  });

  const q = filter.trim().replace(/^@/, "").toLowerCase();
  const shown = q ? people.filter((p) => p.login.toLowerCase().includes(q)) : people;

  return (
    <div className="space-y-4">
      {notice ? (
        <p
          role={notice.kind === "error" ? "alert" : "status"}
          className={`rounded-md border px-3 py-2 text-sm ${notice.kind === "ok" ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-amber-200 bg-amber-50 text-amber-900"}`}
        >
          {notice.text}
        </p>
      ) : null}
      <div className="max-w-sm">
        <label htmlFor="people-filter" className="block text-sm font-medium text-slate-700">
          Filter by login
        </label>
        <input
          id="people-filter"
          className={inputClass}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="octocat"
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      {pending ? <Confirm pending={pending} busy={change.isPending} onConfirm={() => change.mutate(pending)} onCancel={() => setPending(null)} /> : null}
      {shown.length === 0 ? (
        <p className="text-sm text-slate-500">Nobody&apos;s login contains &ldquo;{filter.trim()}&rdquo;.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <caption className="sr-only">People who have signed in</caption>
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-3 py-2">Person</th>
                <th className="px-3 py-2">Role</th>
                <th className="px-3 py-2">Teams</th>
                <th className="px-3 py-2">Last seen</th>
                <th className="px-3 py-2 text-right">Requests</th>
                <th className="px-3 py-2">Status</th>
                <th className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {shown.map((p) => (
                <tr key={p.id} data-testid="person-row" data-login={p.login} className={p.deactivatedAt ? "bg-slate-50 text-slate-500" : ""}>
                  <td className="px-3 py-2">
                    <span className="font-medium">@{p.login}</span>
                    {p.name && p.name !== p.login ? <span className="block text-xs text-slate-500">{p.name}</span> : null}
                  </td>
                  <td className="px-3 py-2">
                    <RoleBadge role={p.role} />
                    <span className="block text-xs text-slate-500">{p.roleSource}</span>
                  </td>
                  <td className="px-3 py-2">{p.teams.length ? p.teams.map((t) => t.name).join(", ") : <span className="text-slate-400">none</span>}</td>
                  <td className="px-3 py-2 text-xs">
                    {p.seenIsSignIn ? "signed in " : "joined "}
                    <RelativeTime iso={p.seenAt} />
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{p.requests}</td>
                  <td className="px-3 py-2">
                    {p.deactivatedAt ? (
                      <span className="rounded-full bg-rose-100 px-2 py-0.5 text-xs font-medium text-rose-800">deactivated</span>
                    ) : (
                      <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">active</span>
                    )}
                  </td>
                  <td className="px-3 py-2 text-right">
                    {p.login === self ? (
                      <span className="text-xs text-slate-400">you</span>
                    ) : (
                      <button
                        type="button"
                        disabled={change.isPending}
                        onClick={() => {
                          setNotice(null);
                          setPending({ person: p, action: p.deactivatedAt ? "reactivate" : "deactivate" });
                        }}
                        className="rounded-md border border-slate-300 px-2 py-1 text-xs text-slate-700 hover:bg-slate-50 disabled:opacity-50"
                      >
                        {p.deactivatedAt ? `Reactivate @${p.login}` : `Deactivate @${p.login}`}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Confirm({ pending, busy, onConfirm, onCancel }: { pending: Pending; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { person, action } = pending;
  const deactivate = action === "deactivate";
  return (
    <div role="alertdialog" aria-labelledby="people-confirm-title" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
      <h2 id="people-confirm-title" className="font-semibold">
        {deactivate ? `Deactivate @${person.login}?` : `Reactivate @${person.login}?`}
      </h2>
      {deactivate ? (
        <ul className="mt-2 list-disc space-y-1 pl-5">
          <li>Their sessions end at once: their next page or API call asks them to sign in.</li>
          <li>Signing in is refused until an admin reactivates them.</li>
          <li>Their requests and audit history stay, with their name.</li>
          <li>Their team memberships stay, but they cannot act while deactivated.</li>
          {person.inAdminLogins ? <li className="font-medium">ADMIN_LOGINS still names them: remove them there too. Deactivation wins at sign-in.</li> : null}
        </ul>
      ) : (
        <p className="mt-2">They can sign in again. Their role is recomputed from ADMIN_LOGINS, REVIEWER_LOGINS and REVIEWER_TEAM at that sign-in.</p>
      )}
      <div className="mt-3 flex gap-3">
        <button
          type="button"
          onClick={onConfirm}
          disabled={busy}
          className={`rounded-md px-3 py-1.5 font-medium text-white disabled:opacity-60 ${deactivate ? "bg-rose-700 hover:bg-rose-800" : "bg-brand-600 hover:bg-brand-700"}`}
        >
          {busy ? "Working…" : deactivate ? `Yes, deactivate @${person.login}` : `Yes, reactivate @${person.login}`}
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-slate-700 hover:bg-slate-50">
          Cancel
        </button>
      </div>
    </div>
  );
}
