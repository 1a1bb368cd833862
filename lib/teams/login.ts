import { z } from "zod";

// The add-member form and the server validate the login with this one schema.

/** GitHub's rule: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen. */
export const GITHUB_LOGIN = /^[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38}$/i;

/** A GitHub login as people paste it ("@Alice", " alice "), normalised to how the portal stores it (lower case). */
export const githubLogin = z
  .string({ error: (issue) => (issue.input === undefined || issue.input === null ? "GitHub login is required" : "GitHub login must be text") })
  .trim()
  .transform((s) => s.replace(/^@/, ""))
  .superRefine((s, ctx) => {
    if (s === "") ctx.addIssue({ code: "custom", message: "GitHub login is required" });
    else if (s.length > 39) ctx.addIssue({ code: "custom", message: "A GitHub login has at most 39 characters" });
    else if (!GITHUB_LOGIN.test(s))
      ctx.addIssue({ code: "custom", message: "A GitHub login has only letters, digits and single hyphens, and does not start or end with a hyphen" });
  })
  .transform((s) => s.toLowerCase());

export const addMemberSchema = z.object({ login: githubLogin }, { error: "Send { \"login\": \"<GitHub login>\" }." });
export type AddMemberInput = z.infer<typeof addMemberSchema>;
