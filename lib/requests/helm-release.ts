// What an imported scale set leaves of helm, said the same way wherever the portal says it: on
// take-over (lib/provision/run.ts), and before and after decommissioning one not taken over
// (the action panel, the timeline). Plain strings, so the browser and the server share them.

/** The managers named by a request's adoptFrom marker ("helm, kubectl-edit"). */
export function adoptFromManagers(adoptFrom: string): string[] {
  return adoptFrom.split(",").map((m) => m.trim()).filter(Boolean);
}

/** How to make helm forget a release without touching the cluster's objects: delete its release records. */
export function helmReleaseRecordsAdvice(release: string, namespace: string): string {
  return `\`kubectl delete secret -n ${namespace} -l owner=helm,name=${release}\` (the secrets sh.helm.release.v1.${release}.v*)`;
}

const byHelm = (managers: string[]) => managers.some((m) => m === "helm" || m.startsWith("helm-"));

/**
 * The warning before decommissioning an imported request that was never taken over: its objects
 * are not the portal's, decommissioning deletes them all the same, and helm's records of them stay.
 */
export function importedDecommissionWarning(r: { adoptFrom: string | null; label: string; namespace: string }): string | null {
  if (!r.adoptFrom) return null;
  const managers = adoptFromManagers(r.adoptFrom);
  const who = `${byHelm(managers) ? "Helm" : "hand"} (field managers: ${managers.join(", ")})`;
  const deletes =
    `This scale set was imported and never taken over: its objects were installed by ${who}, not by the portal. ` +
    `Decommissioning deletes them from the cluster all the same: the AutoscalingRunnerSet ${r.label} in namespace ${r.namespace}, its runners and its RBAC objects.`;
  if (!byHelm(managers)) return deletes;
  return (
    `${deletes} The Helm release records are left behind, so \`helm list\` still shows release ${r.label}: once it is decommissioned, ` +
    `delete them with ${helmReleaseRecordsAdvice(r.label, r.namespace)}. Do not run \`helm upgrade\` for it: that would install the scale set again, outside the portal.`
  );
}

/** The timeline's note after such a decommission: what is left of helm for a person to clean up. */
export function helmLeftoversAfterDecommission(r: { adoptFrom: string | null; label: string; namespace: string }): string | null {
  if (!r.adoptFrom || !byHelm(adoptFromManagers(r.adoptFrom))) return null;
  return (
    `It was installed by Helm and never taken over: the Helm release records of ${r.label} are left in namespace ${r.namespace}. ` +
    `Delete them with ${helmReleaseRecordsAdvice(r.label, r.namespace)}.`
  );
}
