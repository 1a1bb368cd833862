import { STATUS_CODES } from "node:http";
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
  /** The server answered, but not as a Kubernetes API does (an internal web page, another service). */
  notKubernetes?: true;
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

/**
 * The Kubernetes Status object in an ApiException (client-node leaves some bodies as JSON text);
 * undefined for any other answer. Only a Status's own words are shown: whatever else a server
 * sent back (an HTML page, another service's JSON) is never repeated, or a kubeconfig pointed at
 * an internal address would read that service out to whoever sees the message.
 */
function statusBody(err: ApiException<unknown>): StatusBody | undefined {
  let body = err.body;
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return body && typeof body === "object" && (body as StatusBody).kind === "Status" ? (body as StatusBody) : undefined;
}

/** Whether the server sent an answer at all (client-node drops some, e.g. a 401's). */
function hasBody(err: ApiException<unknown>): boolean {
  const body = err.body;
  return typeof body === "string" ? body.trim() !== "" : body !== undefined && body !== null && !(typeof body === "object" && Object.keys(body).length === 0);
}

/** What kube-apiserver's mux answers for a path nothing serves: Kubernetes's own, though not a Status. */
const KUBE_MUX_404 = /^404 page not found\s*$/;

/** A Status message as one bounded line. */
const oneLine = (s: string) => s.replace(/[\x00-\x1f\x7f]+/g, " ").trim().slice(0, 500);

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
    const words = `HTTP ${err.code}${body?.reason ? ` ${oneLine(body.reason).slice(0, 60)}` : STATUS_CODES[err.code] ? ` ${STATUS_CODES[err.code]}` : ""}`;
    const notKube = !body && hasBody(err) && !KUBE_MUX_404.test(String(err.body)) ? ` from ${server ?? "the server"}, and the answer is not a Kubernetes API's` : "";
    const message = body?.message ? oneLine(body.message) : `${words}${notKube}`;
    // A 404 without a Status object is the server's mux: nothing serves that path (yet). Right
    // after an API server starts, CRD-backed kinds such as AutoscalingRunnerSet are served a
    // moment after the built-in ones, so that is worth a retry; a missing object is a Status 404.
    const unservedPath = err.code === 404 && body?.kind !== "Status";
    const problem: KubeProblem = { status: err.code, message, transient: TRANSIENT_STATUS.has(err.code) || unservedPath, ...(notKube ? { notKubernetes: true as const } : {}) };
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
  // A 2xx answer that is not Kubernetes JSON, or lacks what Kubernetes always sends (discovery's
  // resources): the parser's and client's messages would quote the body.
  if (err instanceof SyntaxError || /^Failed to fetch resource metadata|is not supported by ObjectSerializer|^Cannot read properties of/.test(message)) {
    return { message: `The server${at} is not a Kubernetes API: its answer is not Kubernetes JSON`, transient: false, notKubernetes: true };
  }
  // The client looks kinds up through discovery; right after an API server restart a CRD's
  // kind can be missing from it for a moment. A kind that never appears exhausts the retries.
  if (/^Unrecognized API version and kind/.test(message)) {
    return { message: `The Kubernetes API server${at} does not list this kind yet (${message}); is the ARC CRD installed?`, transient: true };
  }
  return { message, transient: false };
}
