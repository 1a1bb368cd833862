import type { Metadata } from "next";
import Link from "next/link";
import { pageActor } from "@/lib/auth/gate";

export const metadata: Metadata = { title: "Administration" };

const SECTIONS = [
  {
    href: "/admin/clusters",
    title: "Clusters",
    text: "Register the Kubernetes clusters the portal provisions on, and edit each one's settings: GPU resource, images, controller, chart version, ceilings.",
  },
  { href: "/admin/teams", title: "Teams", text: "The teams that ask for runners, and who belongs to them." },
  {
    href: "/admin/people",
    title: "People",
    text: "Everyone who has signed in, their role and where it comes from; deactivate someone who should no longer have access.",
  },
];

export default async function AdminPage() {
  await pageActor("admin", "/admin");
  return (
    <section>
      <h1 className="text-2xl font-semibold">Administration</h1>
      <p className="mt-1 text-sm text-slate-600">Only admins see these pages. Every change made here is recorded with who made it and when.</p>
      <ul className="mt-6 grid gap-4 sm:grid-cols-2">
        {SECTIONS.map((s) => (
          <li key={s.href}>
            <Link href={s.href} className="block rounded-lg border border-slate-200 bg-white p-5 hover:border-brand-600">
              <span className="font-medium text-slate-900">{s.title}</span>
              <p className="mt-1 text-sm text-slate-600">{s.text}</p>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
