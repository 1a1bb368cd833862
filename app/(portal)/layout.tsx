import type { ReactNode } from "react";
import { Header } from "@/components/Header";
import { LocalClusterBanner } from "@/components/LocalClusterBanner";
import { NavBadges } from "@/components/NavBadges";
import { renderActor } from "@/lib/auth/actor";
import { allows } from "@/lib/auth/gate";
import { localClusterView } from "@/lib/kube/local-cluster";
import { badgeCounts } from "@/lib/notifications";

// Each page asks the gate itself (pageActor), which knows where to send an
// anonymous visitor back to; the layout only draws the chrome for who is there.
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await renderActor();
  if (!actor) return children;
  const counts = await badgeCounts(actor);
  return (
    <>
      <Header user={actor} admin={allows(actor, "admin")} nav={<NavBadges initial={counts} reviewer={allows(actor, "reviewer")} />} />
      <LocalClusterBanner initial={localClusterView()} />
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </>
  );
}
