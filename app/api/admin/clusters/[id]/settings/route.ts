import { route } from "@/lib/auth/gate";
import { saveSettings, settingsView } from "@/lib/clusters/settings-admin";
import { readJson } from "@/lib/http-body";

export const GET = route("admin", async ({ params }) => settingsView(params.id!));

/** Body: { settings, version }; 409 when someone saved since `version` was read. */
export const PUT = route("admin", async ({ req, actor, params }) => saveSettings(actor!, params.id!, await readJson(req)));
