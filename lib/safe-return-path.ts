// Where to send someone after sign-in, from a callbackUrl anyone can craft: only a path on this
// portal. Browsers drop tabs and newlines from a Location ("/\t/evil.example" becomes
// "//evil.example", another host) and read "\" as "/", so anything but printable ASCII is
// refused, as is a path that starts with "//" or "/\" once percent-decoded.

const BASE = "http://portal.invalid";
const PRINTABLE = /^[\x21-\x7e]*$/;
const MAX_LENGTH = 2048;

function isSafePath(p: string): boolean {
  return PRINTABLE.test(p) && p.startsWith("/") && !p.startsWith("//") && !p.includes("\\");
}

/** `raw` when it is a path on this portal, otherwise `fallback`. */
export function safeReturnPath(raw: string | null | undefined, fallback = "/requests"): string {
  if (typeof raw !== "string" || raw.length > MAX_LENGTH || !isSafePath(raw)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return fallback;
  }
  // "/%2F%2Fevil.example", "/%5Cevil.example", "/%09/…": harmless as sent, but not once something decodes them.
  if (/[\x00-\x1f\x7f]/.test(decoded) || /^.[/\\]/.test(decoded)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  return url.origin === BASE ? raw : fallback;
}

/**
 * next-auth's redirect callback: a path or a URL on the portal itself, as a URL under `baseUrl`;
 * anything else goes to the portal's start page.
 */
export function safeRedirectUrl(url: string, baseUrl: string): string {
  let path = url;
  if (!url.startsWith("/")) {
    try {
      const u = new URL(url);
      if (u.origin !== new URL(baseUrl).origin) return `${baseUrl}${safeReturnPath(null)}`;
      path = `${u.pathname}${u.search}${u.hash}`;
    } catch {
      return `${baseUrl}${safeReturnPath(null)}`;
    }
  }
  return `${baseUrl}${safeReturnPath(path)}`;
}
