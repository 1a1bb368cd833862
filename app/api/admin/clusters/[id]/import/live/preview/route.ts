import { route } from "@/lib/auth/gate";
import { readJson } from "@/lib/http-body";
import { previewLiveImport } from "@/lib/clusters/import-live-flow";

/** { namespace, name, team?, contact? }: what importing that scale set would store. Reads only. */
export const POST = route("admin", async ({ req, params }) => previewLiveImport(params.id!, await readJson(req)));
