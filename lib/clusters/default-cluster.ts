import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

/** The cluster new requests target while the fleet has one registered cluster. */
export async function defaultCluster() {
  const name = env().DEFAULT_CLUSTER_NAME;
  return db.cluster.upsert({ where: { name }, update: {}, create: { name, displayName: name } });
}
