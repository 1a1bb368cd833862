import { route } from "@/lib/auth/gate";
import { db } from "@/lib/db";
import { unavailable } from "@/lib/http-errors";

export const GET = route("public", async () => {
  try {
    await db.$queryRaw`SELECT 1`;
  } catch {
    throw unavailable("database unreachable");
  }
  return { status: "ready", database: "ok" };
});
