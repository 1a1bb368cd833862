import "server-only";
import { appendEvent } from "@/lib/audit";
import { db } from "@/lib/db";

/** Timeline entries the provisioning worker writes besides its status transitions. */
export type ProvisionEventType = "provision_step" | "provision_retry" | "key_deleted" | "decommission_step";

export async function record(requestId: string, type: ProvisionEventType, message: string): Promise<void> {
  await appendEvent(db, { requestId, actorId: null, type, message });
}
