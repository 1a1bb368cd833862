import { route } from "@/lib/auth/gate";

export const GET = route("public", async () => ({ status: "ok" }));
