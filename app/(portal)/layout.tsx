import type { ReactNode } from "react";
import { Header, type NavItem } from "@/components/Header";
import { allows, pageActor } from "@/lib/auth/gate";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await pageActor("signed-in", "/requests");
  const nav: NavItem[] = [{ href: "/requests", label: "My requests" }];
  if (allows(actor, "reviewer")) nav.push({ href: "/review", label: "Review queue" });
  return (
    <>
      <Header user={actor} nav={nav} />
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </>
  );
}
