import type { GitHubCheck } from "@/lib/requests/github-checks";

const STEP_TITLE: Record<string, string> = {
  app: "GitHub App",
  installation: "Installation covers the URL",
  permissions: "Runner permissions",
  token: "Installation token",
};

function Mark({ ok, skipped, warn }: { ok: boolean; skipped?: boolean; warn?: boolean }) {
  if (skipped) return <span aria-label="not checked" className="text-slate-400">–</span>;
  if (warn) return <span aria-label="could not check" className="text-amber-600">!</span>;
  return ok ? <span aria-label="passed" className="text-emerald-600">✓</span> : <span aria-label="failed" className="text-red-600">✗</span>;
}

/** What GitHub said about the App and about the requester, step by step, in plain words. */
export function GitHubCheckReport({ check, standingTitle = "Your access" }: { check: GitHubCheck; standingTitle?: string }) {
  const unavailable = check.credentials?.status === "unavailable";
  return (
    <div data-testid="github-check" className="space-y-1 text-sm">
      {check.credentials ? (
        check.credentials.steps.map((s) => (
          <p key={s.step} className="flex gap-2">
            <Mark ok={s.ok} skipped={s.skipped} warn={unavailable && !s.ok && !s.skipped} />
            <span>
              <span className="font-medium">{STEP_TITLE[s.step]}:</span> {s.message}
            </span>
          </p>
        ))
      ) : (
        <p className="text-slate-500">The App's credentials were not given, so they were not checked.</p>
      )}
      <p className="flex gap-2">
        <Mark ok={check.standing.ok} skipped={check.standing.status === "skipped"} warn={check.standing.status === "unavailable"} />
        <span>
          <span className="font-medium">{standingTitle}:</span> {check.standing.message}
        </span>
      </p>
      {unavailable && check.credentials?.retryAfterSeconds ? (
        <p className="text-amber-700">GitHub asks to wait {check.credentials.retryAfterSeconds} s before trying again.</p>
      ) : null}
    </div>
  );
}
