import { ApiException } from "@kubernetes/client-node";

// What went wrong talking to the API server, in words for the request's timeline, and
// whether trying again later could help. Connection failures and 429/5xx are worth a
// retry; a refusal such as 409 (conflict), 422 (invalid) or 403 (forbidden) is not.

export interface KubeProblem {
  /** HTTP status, or undefined when no answer came back. */
  status?: number;
  /** The API server's own message when it answered; the connection error otherwise. */
  message: string;
  transient: boolean;
  /** For a 409 from server-side apply: the fields another field manager owns. */
  conflicts?: { manager: string; field: string }[];
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/** Network codes that mean the server took too long, not that it could not be reached at all. */
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);

type StatusBody = { kind?: string; message?: string; reason?: string; details?: { causes?: { message?: string; field?: string }[] } };

/** The Status object in an ApiException (client-node leaves some bodies as JSON text). */
function statusBody(err: ApiException<unknown>): StatusBody | undefined {
  const body = err.body;
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return body.trim() ? { message: body.trim() } : undefined;
    }
  }
  return body && typeof body === "object" ? (body as StatusBody) : undefined;
}

/** The first network error code in an error's cause chain (undici nests them, sometimes in an AggregateError). */
function networkCode(err: unknown, depth = 0): { code: string; message: string } | undefined {
  if (!err || typeof err !== "object" || depth > 5) return undefined;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return { code: e.code, message: String(e.message ?? e.code) };
  for (const inner of e.errors ?? []) {
    const found = networkCode(inner, depth + 1);
    if (found) return found;
  }
  return networkCode(e.cause, depth + 1);
}

export function kubeStatus(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

export const isNotFound = (err: unknown) => kubeStatus(err) === 404;

export function describeKubeError(err: unknown, server?: string): KubeProblem {
  if (err instanceof ApiException) {
    const body = statusBody(err);
    const message = body?.message || `HTTP ${err.code}${body?.reason ? ` ${body.reason}` : ""}`;
    // A 404 without a Status object is the server's mux: nothing serves that path (yet). Right
    // after an API server starts, CRD-backed kinds such as AutoscalingRunnerSet are served a
    // moment after the built-in ones, so that is worth a retry; a missing object is a Status 404.
    const unservedPath = err.code === 404 && body?.kind !== "Status";
    const problem: KubeProblem = { status: err.code, message, transient: TRANSIENT_STATUS.has(err.code) || unservedPath };
    if (err.code === 409 && body?.details?.causes?.length) {
      problem.conflicts = body.details.causes.map((c) => ({
        manager: /conflict with "([^"]+)"/.exec(c.message ?? "")?.[1] ?? "another field manager",
        field: c.field ?? "",
      }));
    }
    return problem;
  }
  const at = server ? ` at ${server}` : "";
  const net = networkCode(err);
  if (net) {
    const what = net.code === "ECONNREFUSED" ? "refused the connection" : TIMEOUT_CODES.has(net.code) ? "did not answer in time" : "could not be reached";
    return { message: `The Kubernetes API server${at} ${what} (${net.message})`, transient: true };
  }
  const name = (err as Error)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return { message: `The Kubernetes API server${at} did not answer in time`, transient: true };
  }
  const message = (err as Error)?.message ?? String(err);
  // The client looks kinds up through discovery; right after an API server restart a CRD's
  // kind can be missing from it for a moment. A kind that never appears exhausts the retries.
  if (/^Unrecognized API version and kind/.test(message)) {
    return { message: `The Kubernetes API server${at} does not list this kind yet (${message}); is the ARC CRD installed?`, transient: true };
  }
  return { message, transient: false };
}
