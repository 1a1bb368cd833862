import { lowerStaleRoles } from "@/lib/auth/role-lists";
import { env, EnvError, signInModes } from "@/lib/env";
import { KubeConfigError, kubeConfigured } from "@/lib/kube/config";
import { localClusterStatus } from "@/lib/kube/local-cluster";
import { log } from "@/lib/log";
import { startWebhookWorker } from "@/lib/notify/queue";
import { startProvisioningWorker } from "@/lib/provision/service";

// A bad configuration stops the server here, with a message naming each
// variable, instead of failing on the first request.
try {
  const e = env();
  log.info("portal starting", { signIn: signInModes(e), githubApi: e.GITHUB_API_URL });
} catch (err) {
  if (!(err instanceof EnvError)) throw err;
  console.error(`[portal] ${err.message}`);
  process.exit(1);
}

// Provisioning runs in this process when a cluster is configured; without one the portal
// still starts, says so, and approvals leave requests APPROVED. A KUBECONFIG that is set
// but unusable is a bad configuration like any other.
try {
  startProvisioningWorker();
} catch (err) {
  if (!(err instanceof KubeConfigError)) throw err;
  console.error(`[portal] ${err.message}`);
  process.exit(1);
}

// The local cluster of `npm start` comes up minutes after the portal on a new machine: start
// provisioning the moment it is ready (the workers then pick up what was approved meanwhile).
if (!kubeConfigured() && localClusterStatus()) {
  const timer = setInterval(() => {
    if (!kubeConfigured()) return;
    clearInterval(timer);
    log.info("local cluster ready: provisioning on");
    startProvisioningWorker();
  }, 2000);
  timer.unref();
}

// Webhook deliveries (when WEBHOOK_URL is set) are retried from the queue by every replica.
void startWebhookWorker().catch((err: Error) => console.error(`[portal] webhook worker: ${err.message}`));

// A login removed from ADMIN_LOGINS or REVIEWER_LOGINS loses the stored role with this restart
// (sessions compute it from the lists anyway; this keeps the People page and team views honest).
void lowerStaleRoles().catch((err: Error) => console.error(`[portal] lowering stale roles: ${err.message}`));
