import { route } from "@/lib/auth/gate";
import { localClusterView } from "@/lib/kube/local-cluster";

// How far the local cluster of `npm start` is, for the banner's progress; "none" when there is none.
export const GET = route("signed-in", async () => localClusterView());
