// The portal's Content-Security-Policy and companion headers. Scripts run only
// with the per-request nonce Next.js stamps on its own tags; nothing loads
// from other origins, and no site may frame the portal.
export function securityHeaders(nonce: string, opts: { https: boolean; dev: boolean }): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'${opts.dev ? " 'unsafe-inline'" : ""}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(opts.https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** For JSON answers of API routes: nothing in them may run, load or be framed. */
export function apiSecurityHeaders(opts: { https: boolean }): Record<string, string> {
  const { "Content-Security-Policy": _, ...companions } = securityHeaders("none", { https: opts.https, dev: false });
  return { ...companions, "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'" };
}
