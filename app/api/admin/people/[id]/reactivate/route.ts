import { route } from "@/lib/auth/gate";
import { reactivatePerson } from "@/lib/people/activation";

// Lets a deactivated person sign in again; their role is recomputed at that sign-in.
export const POST = route("admin", ({ actor, params }) => reactivatePerson(actor!, params.id));
