import { cookies } from "next/headers";
import { maySignIn } from "@/lib/auth/deactivate";
import { isDemoLogin } from "@/lib/auth/demo-users";
import { route } from "@/lib/auth/gate";
import { createSession } from "@/lib/auth/sessions";
import { sessionCookie } from "@/lib/auth/session-cookie";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { badRequest, forbiddenError, notFoundError } from "@/lib/http-errors";
import { safeReturnPath } from "@/lib/safe-return-path";

export const POST = route("public", async ({ req }) => {
  if (!env().DEMO_SIGN_IN) throw notFoundError("Demo sign-in is not enabled on this portal.");
  // A form post that another site made the browser send is refused by the gate (crossSiteProblem).
  const form = await req.formData().catch(() => null);
  const login = String(form?.get("login") ?? "");
  if (!isDemoLogin(login)) throw badRequest("Pick one of the demo users listed on the sign-in page.");
  const user = await db.user.findUnique({ where: { login } });
  if (!user) throw badRequest("That demo user has not been seeded; restart the portal with npm start.");
  // The same rule as the GitHub sign-in (authOptions' signIn callback).
  if (!maySignIn(user)) throw forbiddenError("An admin deactivated this person; a portal admin can reactivate them on the People page.");
  const { token, expires } = await createSession(user.id);
  const c = sessionCookie();
  (await cookies()).set(c.name, token, { ...c.options, expires });
  const to = safeReturnPath(String(form?.get("callbackUrl") ?? ""));
  return new Response(null, { status: 303, headers: { Location: to } });
});
