import { z } from "zod";

// What the import pages send, shared by the forms and the route handlers. The fields' own
// rules (team name, contact, label, …) are the request form's, applied by the import itself.

/**
 * A values file is a few kilobytes; the chart's own values.yaml, comments and all, is 17 KiB. The
 * YAML parser takes about a second of the event loop per 256 KiB here, so the bound is 64 KiB.
 */
export const MAX_VALUES_FILE_CHARS = 64 * 1024;

const optionalText = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .max(max, `${field} must be at most ${max} characters`)
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const objectName = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .trim()
    .min(1, `${field} is required`)
    .max(253, `${field} must be at most 253 characters`);

export const liveImportBody = z.object(
  {
    namespace: objectName("Namespace"),
    name: objectName("Scale set name"),
    team: optionalText("Team name", 64),
    contact: optionalText("Contact", 254),
  },
  { error: "Send { namespace, name, team, contact } as JSON" },
);
export type LiveImportBody = z.infer<typeof liveImportBody>;

export const valuesImportBody = z.object(
  {
    file: z
      .string({ error: "Values file is required: upload or paste it" })
      .min(1, "Values file is required: upload or paste it")
      .max(MAX_VALUES_FILE_CHARS, `Values file must be at most ${MAX_VALUES_FILE_CHARS / 1024} KiB`),
    team: optionalText("Team name", 64),
    contact: optionalText("Contact", 254),
    label: optionalText("Runner label", 45),
    namespace: optionalText("Namespace", 63),
    githubConfigUrl: optionalText("GitHub URL", 300),
    githubSecret: optionalText("GitHub App Secret", 253),
  },
  { error: "Send { file, team, contact, … } as JSON" },
);
export type ValuesImportBody = z.infer<typeof valuesImportBody>;
