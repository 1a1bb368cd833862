// The tests' kube-apiserver is the one `npm start` runs as its local cluster.
import path from "node:path";

export * from "@/scripts/kube/cluster";

/** The reference data beside the checkout: the chart's values.yaml among others. */
export function arcReferenceDir(): string {
  return process.env.ARC_REFERENCE_DIR || path.resolve(import.meta.dirname, "../../../shared/reference/arc");
}
