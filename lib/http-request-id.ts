// The id of one HTTP request, in the x-request-id header: the one a load balancer or
// ingress sent when it looks like an id, otherwise a fresh UUID. Anything else (too long,
// spaces, quotes, control characters) is replaced, so it can be logged and echoed safely.
const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,128}$/;

export const REQUEST_ID_HEADER = "x-request-id";

export function requestIdFor(incoming: string | null): string {
  return incoming && ACCEPTABLE.test(incoming) ? incoming : crypto.randomUUID();
}
