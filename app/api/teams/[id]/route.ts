import { route } from "@/lib/auth/gate";
import { teamView } from "@/lib/teams/queries";

/** The team with its members, requests and membership history: members, reviewers and admins. */
export const GET = route("signed-in", async ({ actor, params }) => teamView(actor!, params.id!));
