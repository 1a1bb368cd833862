import { z } from "zod";
import { ClusterSettingsError, clusterSettingsFromEnv, type ClusterSettings } from "@/lib/arc/settings";

// Every setting the portal reads, validated once. A bad value stops start-up
// with a message naming the variable and what it should be.

const csv = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? "")
      .split(",")
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean),
  );

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""], {
    error: "must be one of 1, 0, true, false, yes, no",
  })
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. https://github.com" })
  .transform((u) => u.replace(/\/+$/, ""));

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string({ error: "is required: a postgresql:// connection URL" })
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL"),
    NEXTAUTH_URL: httpUrl.default("http://localhost:3000"),
    NEXTAUTH_SECRET: z
      .string({ error: "is required: a random string of at least 32 characters (openssl rand -base64 32)" })
      .min(32, "must be at least 32 characters (openssl rand -base64 32)"),
    ENCRYPTION_KEY: z
      .string({ error: "is required: 32 random bytes, base64-encoded (openssl rand -base64 32)" })
      .refine((s) => Buffer.from(s, "base64").length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)"),
    GITHUB_CLIENT_ID: z.string().min(1).optional(),
    GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
    GITHUB_URL: httpUrl.default("https://github.com"),
    GITHUB_API_URL: httpUrl.default("https://api.github.com"),
    DEMO_SIGN_IN: flag,
    // The address the server listens on (Next's standalone server reads HOSTNAME); `npm start`
    // sets it from HOST, 127.0.0.1 by default. Decides whether demo sign-in may be on.
    HOSTNAME: z.string().optional(),
    DEMO_SIGN_IN_ON_ANY_HOST: flag,
    REVIEWER_LOGINS: csv,
    ADMIN_LOGINS: csv,
    // An empty value means unset, like the login lists.
    REVIEWER_TEAM: z.preprocess(
      (v) => (typeof v === "string" ? v.trim() || undefined : v),
      z
        .string()
        .regex(
          /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
          "must be an organisation and a team slug as in the team's URL (…/orgs/ORG/teams/TEAM-SLUG), written ORG/TEAM-SLUG, e.g. ossci/arc-reviewers",
        )
        .optional(),
    ),
    // A session ends this long after sign-in, however often it is used: roles granted at sign-in
    // (REVIEWER_TEAM) are asked again at least this often.
    SESSION_MAX_LIFETIME_HOURS: z.coerce
      .number({ error: "must be a whole number of hours" })
      .int("must be a whole number of hours")
      .min(1, "must be at least 1 hour")
      .max(720, "must be at most 720 hours (30 days)")
      .default(24),
    // The namespace the portal runs in (deploy/ sets it from the pod): no request may use it.
    PORTAL_NAMESPACE: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a namespace name: lowercase letters, digits and '-'")
      .max(63, "must be at most 63 characters")
      .default("arc-runner-portal"),
    DEFAULT_CLUSTER_NAME: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be lowercase letters, digits and '-'")
      .default("ossci"),
    // The cluster the portal provisions on (lib/kube): a kubeconfig file, or the pod's service
    // account when unset and running in Kubernetes. Neither: provisioning is off.
    KUBECONFIG: z.preprocess((v) => (typeof v === "string" ? v.trim() || undefined : v), z.string().optional()),
    KUBE_CONTEXT: z.preprocess((v) => (typeof v === "string" ? v.trim() || undefined : v), z.string().optional()),
    // Set by `npm start` when it runs its local cluster (lib/kube/local-cluster.ts): the folder
    // whose status.json and kubeconfig.yaml say how far it is, and how to reach it once ready.
    LOCAL_CLUSTER_DIR: z.preprocess((v) => (typeof v === "string" ? v.trim() || undefined : v), z.string().optional()),
    // Slack-compatible incoming webhook for submissions, decisions and provisioning outcomes.
    WEBHOOK_URL: z.preprocess((v) => (typeof v === "string" ? v.trim() || undefined : v), httpUrl.optional()),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    // In-process caches of the session lookup and the request lists (lib/db/read-cache.ts);
    // "off" reads the database every time, e.g. to rule the caches out when chasing a problem.
    READ_CACHE: z.enum(["on", "off"], { error: 'must be "on" or "off"' }).default("on"),
    // Bearer token Prometheus sends to /api/metrics; unset leaves the endpoint open.
    METRICS_TOKEN: z.preprocess(
      (v) => (typeof v === "string" ? v.trim() || undefined : v),
      z
        .string()
        .regex(/^[\x21-\x7e]{24,256}$/, "must be 24 to 256 printable characters without spaces (openssl rand -hex 24), or unset to leave /api/metrics open")
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    // In production, demo sign-in (anyone may act as any seeded person, an admin among them) is
    // only for a portal nobody else can reach, unless the operator says otherwise.
    if (env.DEMO_SIGN_IN && env.NODE_ENV === "production" && !isLoopbackHost(env.HOSTNAME) && !env.DEMO_SIGN_IN_ON_ANY_HOST) {
      ctx.addIssue({
        code: "custom",
        path: ["DEMO_SIGN_IN"],
        message:
          `must not be on while the portal listens on ${env.HOSTNAME ? `HOSTNAME=${env.HOSTNAME}` : "every interface (HOSTNAME unset)"}: ` +
          "demo sign-in lets anyone who reaches it act as any seeded user, an admin among them. " +
          "Listen on 127.0.0.1 (HOST=127.0.0.1 for npm start), configure GitHub sign-in, or set DEMO_SIGN_IN_ON_ANY_HOST=1 to accept that",
      });
    }
    if (!!env.GITHUB_CLIENT_ID !== !!env.GITHUB_CLIENT_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: [env.GITHUB_CLIENT_ID ? "GITHUB_CLIENT_SECRET" : "GITHUB_CLIENT_ID"],
        message: "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set together (the GitHub OAuth app's credentials)",
      });
    }
    if (!env.GITHUB_CLIENT_ID && !env.DEMO_SIGN_IN) {
      ctx.addIssue({
        code: "custom",
        path: ["GITHUB_CLIENT_ID"],
        message: "is required unless DEMO_SIGN_IN=1: nobody could sign in otherwise",
      });
    }
  });

/** Whether a listening address reaches this machine only. */
export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i.test(host.trim());
}

/** The validated environment, with the ARC_* variables read into the cluster settings they stand for. */
export type Env = z.infer<typeof schema> & { arcSettings: ClusterSettings };

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Every setting at once; a bad one, ARC_* included, is an EnvError naming each variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`);
  let arcSettings: ClusterSettings | undefined;
  try {
    arcSettings = clusterSettingsFromEnv(source);
  } catch (err) {
    if (!(err instanceof ClusterSettingsError)) throw err;
    problems.push(...err.problems);
  }
  if (!result.success || !arcSettings) throw new EnvError(problems);
  return { ...result.data, arcSettings };
}

let cached: Env | undefined;

/** The validated environment of this process, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Describes the sign-in modes in one line, for start-up logs. */
export function signInModes(e: Env): string {
  const modes = [];
  if (e.GITHUB_CLIENT_ID) modes.push(`GitHub OAuth via ${e.GITHUB_URL}`);
  if (e.DEMO_SIGN_IN) modes.push("DEMO sign-in (pick a seeded user; for a portal only you can reach)");
  return modes.join(" + ");
}
