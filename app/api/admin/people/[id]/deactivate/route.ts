import { route } from "@/lib/auth/gate";
import { deactivatePerson } from "@/lib/people/activation";

// Ends the person's sessions at once and refuses their sign-in; their requests, audit history
// and team memberships stay. Admins only; nobody deactivates themselves.
export const POST = route("admin", ({ actor, params }) => deactivatePerson(actor!, params.id));
