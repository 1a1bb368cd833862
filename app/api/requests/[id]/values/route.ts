import { route } from "@/lib/auth/gate";
import { renderRequestValues } from "@/lib/requests/render";
import { getRequest } from "@/lib/requests/queries";

/** The Helm values file, as a download named after the runner label. */
export const GET = route("signed-in", async ({ actor, params }) => {
  const request = await getRequest(actor!, params.id!);
  return new Response(await renderRequestValues(request), {
    headers: {
      "content-type": "application/yaml; charset=utf-8",
      "content-disposition": `attachment; filename="${request.label}-values.yaml"`,
    },
  });
});
