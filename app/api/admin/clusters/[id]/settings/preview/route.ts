import { route } from "@/lib/auth/gate";
import { previewSettings } from "@/lib/clusters/settings-admin";
import { readJson } from "@/lib/http-body";

/** Body: { settings }. Which live scale sets the settings would change, and how; writes nothing. */
export const POST = route("admin", async ({ req, params }) => previewSettings(params.id!, await readJson(req)));
