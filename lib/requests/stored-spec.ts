import type { ScaleSetSpec } from "@/lib/arc/scale-set-spec";

/** The form's answers as stored with a request: never the private key itself. */
export type StoredSpec = ScaleSetSpec & { githubApp: { appId: string | null; installationId: string | null } };
