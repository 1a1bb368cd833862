import type { Metadata } from "next";
import { ClusterRegistrationForm } from "@/components/admin/ClusterRegistrationForm";
import { pageActor } from "@/lib/auth/gate";

export const metadata: Metadata = { title: "Register a cluster" };

export default async function NewClusterPage() {
  await pageActor("admin", "/admin/clusters/new");
  return (
    <section className="max-w-3xl">
      <h1 className="text-2xl font-semibold">Register a cluster</h1>
      <p className="mt-1 text-sm text-slate-600">
        The portal will provision approved scale sets on this cluster. Its settings start as the portal&apos;s defaults; you can
        change them on the cluster&apos;s page. A kubeconfig is stored encrypted and never shown again, only its fingerprint.
      </p>
      <div className="mt-8">
        <ClusterRegistrationForm />
      </div>
    </section>
  );
}
