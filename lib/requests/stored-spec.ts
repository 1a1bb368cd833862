import type { ScaleSetSpec } from "@/lib/arc/scale-set-spec";

/**
 * The form's answers as stored with a request. Never the private key itself:
 * only the fingerprint of the key that goes (or went) with these answers.
 */
export type StoredSpec = ScaleSetSpec & {
  githubApp: { appId: string | null; installationId: string | null; keyFingerprint?: string | null };
};
