"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { RelativeTime } from "@/components/RelativeTime";
import { Field, inputClass } from "@/components/request-form/Field";
import { callApi, type ApiError } from "@/components/request-page/api";
import { addMemberSchema } from "@/lib/teams/login";
// Type only: erased at build time, so the server-only query module stays out of the client bundle.
import type { TeamMember } from "@/lib/teams/queries";

/**
 * The members of a team and, for those who may manage it, adding and removing.
 * The server decides (lib/teams/members.ts); the page re-renders from it afterwards.
 */
export function MemberManager({
  teamId,
  members,
  canManage,
  self,
  keepsAccess,
}: {
  teamId: string;
  members: TeamMember[];
  canManage: boolean;
  self: string;
  /** Reviewers and admins still see the team after leaving it. */
  keepsAccess: boolean;
}) {
  const router = useRouter();
  const [login, setLogin] = useState("");
  const [inputError, setInputError] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const last = members.length <= 1;

  const add = useMutation({
    mutationFn: (l: string) => callApi<{ added: string }>(`/api/teams/${teamId}/members`, { method: "POST", json: { login: l } }),
    onSuccess: ({ added }) => {
      setLogin("");
      setNotice({ kind: "ok", text: `Added @${added}. They can now see and file the team's requests.` });
      router.refresh();
    },
    onError: (e: ApiError) => {
      setInputError(e.fieldErrors?.login?.[0]);
      setNotice({ kind: "error", text: e.error });
    },
  });
  const remove = useMutation({
    mutationFn: (l: string) => callApi<{ removed: string; self: boolean }>(`/api/teams/${teamId}/members/${encodeURIComponent(l)}`, { method: "DELETE" }),
    onSuccess: ({ removed, self: left }) => {
      if (left && !keepsAccess) return router.push("/teams");
      setNotice({ kind: "ok", text: left ? "You left the team." : `Removed @${removed}.` });
      router.refresh();
    },
    onError: (e: ApiError) => {
      setNotice({ kind: "error", text: e.error });
      router.refresh();
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const parsed = addMemberSchema.safeParse({ login });
    if (!parsed.success) return setInputError(parsed.error.issues[0]?.message);
    setInputError(undefined);
    add.mutate(parsed.data.login);
  }

  return (
    <div className="space-y-4">
      {notice ? (
        <p
          role={notice.kind === "error" ? "alert" : "status"}
          className={`rounded-md border px-3 py-2 text-sm ${notice.kind === "error" ? "border-amber-200 bg-amber-50 text-amber-900" : "border-emerald-200 bg-emerald-50 text-emerald-900"}`}
        >
          {notice.text}
        </p>
      ) : null}
      <ul aria-label="Members" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {members.map((m) => (
          <li key={m.login} data-testid="team-member" className="flex items-center gap-3 px-4 py-2 text-sm">
            <span className="font-medium">@{m.login}</span>
            {m.name && m.name !== m.login ? <span className="text-slate-600">{m.name}</span> : null}
            {m.login === self ? <span className="rounded-full bg-slate-100 px-2 text-xs text-slate-600">you</span> : null}
            <span className="text-xs text-slate-500">
              member since <RelativeTime iso={m.since} />
            </span>
            {canManage ? (
              <button
                type="button"
                onClick={() => {
                  setNotice(null);
                  remove.mutate(m.login);
                }}
                disabled={last || remove.isPending}
                aria-describedby={last ? "last-member-note" : undefined}
                className="ml-auto rounded-md border border-slate-300 px-2 py-1 text-xs text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50"
              >
                {m.login === self ? "Leave team" : `Remove @${m.login}`}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canManage && last ? (
        <p id="last-member-note" className="text-xs text-slate-500">
          The last member cannot be removed: a team needs someone who can see its requests and add people. Add someone else first.
        </p>
      ) : null}
      {canManage ? (
        <form onSubmit={submit} className="flex flex-wrap items-start gap-3 rounded-lg border border-slate-200 bg-white p-4" noValidate>
          <div className="min-w-64 flex-1">
            <Field
              id="member-login"
              label="GitHub login"
              error={inputError}
              help="The person must have signed in to the portal once; they then see and can file the team's requests."
            >
              {(p) => (
                <input
                  {...p}
                  className={inputClass}
                  value={login}
                  onChange={(e) => setLogin(e.target.value)}
                  placeholder="octocat"
                  autoComplete="off"
                  spellCheck={false}
                />
              )}
            </Field>
          </div>
          <button
            type="submit"
            disabled={add.isPending}
            className="mt-6 rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
          >
            {add.isPending ? "Adding…" : "Add member"}
          </button>
        </form>
      ) : (
        <p className="text-sm text-slate-500">Only the team&apos;s members and portal admins can change who is in it.</p>
      )}
    </div>
  );
}
