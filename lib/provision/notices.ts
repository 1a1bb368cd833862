import "server-only";
import { localClusterNotice } from "@/lib/kube/local-cluster";

// What the portal says when it has no cluster; shared by the worker, the status and the capacity check.
export const PROVISIONING_OFF_NOTICE =
  "Provisioning is off: the portal has no cluster connection (set KUBECONFIG, or run the portal inside the cluster). " +
  "Approved requests stay approved, and are provisioned once a cluster is connected.";

/** Why nothing is provisioned right now: the local cluster's progress when `npm start` runs one. */
export function provisioningOffNotice(): string {
  return localClusterNotice() ?? PROVISIONING_OFF_NOTICE;
}
