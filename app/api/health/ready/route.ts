import { route } from "@/lib/auth/gate";
import { readiness } from "@/lib/health";

export const dynamic = "force-dynamic";

/**
 * 200 while the database answers ("degraded" when the cluster does not: the UI keeps
 * serving and provisioning retries by itself); 503 when the database is unreachable.
 */
export const GET = route("public", async () => {
  const r = await readiness();
  return Response.json(r, { status: r.status === "unavailable" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
});
