import { route } from "@/lib/auth/gate";
import { readJson } from "@/lib/http-body";
import { previewValuesImport } from "@/lib/clusters/import-values-flow";

/** The values file mapped onto the form's fields, the overlay, and what the import would do. Writes nothing. */
export const POST = route("admin", async ({ req, params }) => previewValuesImport(params.id!, await readJson(req)));
