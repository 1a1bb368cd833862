import { route } from "@/lib/auth/gate";
import { badgeCounts } from "@/lib/notifications";

export const GET = route("signed-in", async ({ actor }) => badgeCounts(actor!));
