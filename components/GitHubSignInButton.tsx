"use client";

import { signIn } from "next-auth/react";

export function GitHubSignInButton({ callbackUrl, host }: { callbackUrl: string; host: string }) {
  return (
    <button
      type="button"
      onClick={() => signIn("github", { callbackUrl })}
      className="w-full rounded-md bg-slate-900 px-4 py-2.5 font-medium text-white hover:bg-slate-700"
    >
      Sign in with GitHub
      {host !== "github.com" ? <span className="ml-1 text-slate-300">({host})</span> : null}
    </button>
  );
}
