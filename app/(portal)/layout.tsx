import type { ReactNode } from "react";
import { Header, type NavItem } from "@/components/Header";
import { currentActor } from "@/lib/auth/actor";
import { allows } from "@/lib/auth/gate";

// Each page asks the gate itself (pageActor), which knows where to send an
// anonymous visitor back to; the layout only draws the chrome for who is there.
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  if (!actor) return children;
  const nav: NavItem[] = [{ href: "/requests", label: "My requests" }];
  if (allows(actor, "reviewer")) nav.push({ href: "/review", label: "Review queue" });
  return (
    <>
      <Header user={actor} nav={nav} />
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </>
  );
}
