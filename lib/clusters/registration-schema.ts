import { z } from "zod";
import { RFC1123_LABEL } from "@/lib/arc/kube-names";

// The register-a-cluster form's fields, checked the same way in the browser (as the admin
// types) and on the server. Whether the kubeconfig loads is checked on the server only
// (lib/clusters/registry.ts): the parser is Node's.

const KUBECONFIG_MAX = 256 * 1024;

export const clusterRegistrationSchema = z
  .object({
    name: z
      .string({ error: "Name is required" })
      .max(63, "Name must be at most 63 characters")
      .regex(RFC1123_LABEL, "Name must be lowercase letters, digits or '-', starting and ending with a letter or digit"),
    displayName: z
      .string({ error: "Display name is required" })
      .trim()
      .min(1, "Display name is required")
      .max(100, "Display name must be at most 100 characters"),
    connection: z.enum(["IN_CLUSTER", "KUBECONFIG"], { error: "Connection must be IN_CLUSTER or KUBECONFIG" }),
    kubeconfig: z.string({ error: "The kubeconfig must be text" }).max(KUBECONFIG_MAX, "The kubeconfig must be at most 256 KiB").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.connection === "KUBECONFIG" && !v.kubeconfig?.trim()) {
      ctx.addIssue({ code: "custom", path: ["kubeconfig"], message: "Paste the kubeconfig the portal should use for this cluster" });
    }
  });

export type ClusterRegistrationInput = z.infer<typeof clusterRegistrationSchema>;
