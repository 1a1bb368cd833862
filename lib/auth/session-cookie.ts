import { env } from "@/lib/env";

// next-auth names its cookie after whether the site is served over HTTPS; the
// demo sign-in and the e2e fixtures must write the very same cookie.
export function sessionCookie() {
  const secure = env().NEXTAUTH_URL.startsWith("https://");
  return {
    name: `${secure ? "__Secure-" : ""}next-auth.session-token`,
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
  };
}

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
/** next-auth's default: a session read a day or more after its last extension is extended again. */
export const SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;
