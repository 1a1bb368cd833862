import { route } from "@/lib/auth/gate";
import { getRequest } from "@/lib/requests/queries";

export const GET = route("signed-in", async ({ actor, params }) => ({ request: await getRequest(actor!, params.id!) }));
