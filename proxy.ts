import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_ID_HEADER, requestIdFor } from "@/lib/http-request-id";
import { securityHeaders } from "@/lib/security-headers";

// Every response gets the security headers; pages get a fresh CSP nonce that
// Next.js reads from the request and puts on its inline scripts. Every request also gets
// an x-request-id (kept from the ingress when it sent one), echoed in the response and
// carried by every log line the request writes (lib/auth/gate.ts).
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const headers = securityHeaders(nonce, {
    https: (process.env.NEXTAUTH_URL ?? "").startsWith("https://"),
    dev: process.env.NODE_ENV === "development",
  });
  const requestId = requestIdFor(request.headers.get(REQUEST_ID_HEADER));
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set(REQUEST_ID_HEADER, requestId);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

export const config = {
  // API routes set their headers and request id in route() (lib/auth/gate.ts): running the proxy
  // for each API call cost about a third of a list's answer time (`npm run bench`, row 1).
  // next-auth's routes do not go through route(), so they keep the proxy.
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico).*)" }, { source: "/api/auth/:path*" }],
};
