import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { GitHubSignInButton } from "@/components/GitHubSignInButton";
import { renderActor } from "@/lib/auth/actor";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { env } from "@/lib/env";
import { safeReturnPath } from "@/lib/safe-return-path";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  OAuthCallback: "GitHub did not complete the sign-in. Try again.",
  OAuthSignin: "Could not start the GitHub sign-in. Check that the portal's GitHub OAuth app is configured.",
  AccessDenied: "GitHub did not grant access.",
  Deactivated: "An admin has deactivated your portal account, so you cannot sign in. Ask a portal admin if you think this is a mistake.",
  Callback: "The sign-in could not be completed. Try again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl);
  if (await renderActor()) redirect(callbackUrl);
  const e = env();
  const error = params.error ? (ERRORS[params.error] ?? "Sign-in failed. Try again.") : null;
  return (
    <main className="mx-auto max-w-md px-6 py-20">
      <h1 className="text-2xl font-semibold">ARC Runner Portal</h1>
      <p className="mt-2 text-slate-600">
        Ask for GPU runners for your GitHub Actions workflows on the OSSCI clusters, and follow your request until your
        runners are online.
      </p>
      {error ? (
        <p role="alert" className="mt-6 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <div className="mt-8 space-y-6">
        {e.GITHUB_CLIENT_ID ? <GitHubSignInButton callbackUrl={callbackUrl} host={new URL(e.GITHUB_URL).host} /> : null}
        {e.DEMO_SIGN_IN ? (
          <form method="post" action="/api/demo-sign-in" className="rounded-lg border border-amber-300 bg-amber-50 p-4">
            <h2 className="font-medium text-amber-900">Demo sign-in</h2>
            <p className="mt-1 text-sm text-amber-800">
              This portal runs in demo mode. Pick a seeded person to act as; never enable this in production.
            </p>
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <fieldset className="mt-3 space-y-2">
              <legend className="sr-only">Demo user</legend>
              {DEMO_USERS.map((u, i) => (
                <label key={u.login} className="flex items-center gap-2 text-sm">
                  <input type="radio" name="login" value={u.login} defaultChecked={i === 0} />
                  {u.name}
                </label>
              ))}
            </fieldset>
            <button type="submit" className="mt-4 rounded-md bg-amber-600 px-4 py-2 text-sm font-medium text-white hover:bg-amber-700">
              Sign in as demo user
            </button>
          </form>
        ) : null}
      </div>
    </main>
  );
}
