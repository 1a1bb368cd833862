import { countKubeError } from "@/lib/metrics";
import { describeKubeError } from "@/lib/kube/errors";

/**
 * A provisioning step that did not work, in words for the request's timeline. `transient`
 * failures (API server unreachable, 5xx, a controller still cleaning up) are retried with
 * backoff; the others end the attempt as FAILED straight away.
 */
export class ProvisionError extends Error {
  constructor(
    message: string,
    readonly transient = false,
  ) {
    super(message);
    this.name = "ProvisionError";
  }
}

/** A failed API call during `what` ("applying Secret ns/name"), with the server's own message. */
export function kubeFailure(err: unknown, what: string, server: string): ProvisionError {
  if (err instanceof ProvisionError) return err;
  const problem = describeKubeError(err, server);
  countKubeError(problem.status ?? "unreachable");
  const status = problem.status ? ` (HTTP ${problem.status})` : "";
  return new ProvisionError(`${what} failed${status}: ${problem.message}`, problem.transient);
}
