import type { RunnerRequest } from "@/lib/requests/schema";

/** What shapes a scale set: a validated request without its credentials. */
export type ScaleSetSpec = Omit<RunnerRequest, "githubApp">;
