import Link from "next/link";
import type { ReactNode } from "react";
import type { Role } from "@/lib/generated/prisma/enums";
import { RoleBadge } from "./RoleBadge";
import { SignOutButton } from "./SignOutButton";

const ADMIN_LINKS = [
  ["/admin", "Admin"],
  ["/admin/clusters", "Clusters"],
  ["/admin/teams", "Teams"],
  ["/admin/people", "People"],
] as const;

export function Header({ user, nav, admin = false }: { user: { login: string; name: string | null; role: Role }; nav: ReactNode; admin?: boolean }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center gap-6 px-6 py-3">
        <Link href="/requests" className="flex items-center gap-2 font-semibold text-slate-900">
          <img src="/logo.svg" alt="" width={24} height={24} />
          ARC Runner Portal
        </Link>
        {nav}
        {admin ? (
          <nav aria-label="Admin" className="flex gap-4 border-l border-slate-200 pl-4 text-sm">
            {ADMIN_LINKS.map(([href, text]) => (
              <Link key={href} href={href} className="text-slate-600 hover:text-slate-900">
                {text}
              </Link>
            ))}
          </nav>
        ) : null}
        <div className="ml-auto flex items-center gap-3 text-sm">
          <span data-testid="signed-in-user" className="text-slate-700">
            {user.name ?? user.login} <span className="text-slate-400">@{user.login}</span>
          </span>
          <RoleBadge role={user.role} />
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
