import { issuesByField, type FieldErrors } from "@/lib/http-errors";
import { scaleSetSchema, type RequestLimits } from "./schema";
import type { StoredSpec } from "./stored-spec";

// Whether a request's answers fit another cluster's limits, with the form's own schema: a
// reviewer may approve a new request onto a cluster the requester did not fill the form for.

export type ClusterFit =
  | { ok: true; spec: StoredSpec }
  | { ok: false; problems: string[]; fieldErrors: FieldErrors };

/** The answers (with a reviewer's adjustments) validated against the cluster's limits. */
export function fitOnCluster(spec: StoredSpec, limits: RequestLimits, where: string, adjustments: Partial<StoredSpec> = {}): ClusterFit {
  const { githubApp, ...answers } = { ...spec, ...adjustments };
  const parsed = scaleSetSchema(limits).safeParse(answers);
  if (parsed.success) return { ok: true, spec: { ...(parsed.data as Omit<StoredSpec, "githubApp">), githubApp } };
  const errors = issuesByField(parsed.error.issues, "request");
  // A GPU class the cluster lacks would silently fall back to its default class: say so plainly.
  const problems = Object.entries(errors).map(([field, messages]) =>
    field === "gpuClass" && typeof answers.gpuClass === "string"
      ? `GPU class ${answers.gpuClass} does not exist on ${where}`
      : `${messages.join("; ")} on ${where}`,
  );
  return { ok: false, problems, fieldErrors: errors };
}
