/** Only same-site paths, so a crafted link cannot bounce a user to another site after sign-in. */
export function safeReturnPath(raw: string | null | undefined, fallback = "/requests"): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return fallback;
  return raw;
}
