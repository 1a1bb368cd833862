import { z } from "zod";
import { IMAGE_REFERENCE, IMAGE_REFERENCE_MAX, rfc1123LabelProblems } from "@/lib/arc/kube-names";
import { cpuMillicores, memoryBytes } from "@/lib/arc/quantity";
import { defaultClusterSettings, type ClusterSettings } from "@/lib/arc/settings";
import { normalisePem, pemProblem } from "@/lib/crypto/pem";

// The one schema of a runner scale-set request: the browser form validates with it as the
// person types, the server validates again, and the render CLI reads request.json with it.
// Every message names the field and the rule, in words a person can act on.

export type RequestLimits = {
  maxRunnersCeiling: number;
  maxGpusPerRunner: number;
  /** The cluster's GPU classes a request may pick; defaultGpuClass when it picks none. */
  gpuClasses: { name: string; description?: string }[];
  defaultGpuClass: string;
  /** Host of the configured GitHub Enterprise Server, e.g. "github.example.com". */
  githubEnterpriseHost?: string;
  /** Namespaces no request may use on the cluster, each with why (besides kube-* and default). */
  reservedNamespaces: Record<string, string>;
};

export function requestLimits(settings: ClusterSettings, githubEnterpriseHost?: string, portalNamespace?: string): RequestLimits {
  const reserved: Record<string, string> = {};
  for (const ns of settings.reservedNamespaces) reserved[ns] = "a system namespace on this cluster";
  reserved[settings.controllerServiceAccount.namespace] = "the ARC controller's own namespace";
  if (portalNamespace) reserved[portalNamespace] = "the portal's own namespace, which holds its secrets";
  return {
    reservedNamespaces: reserved,
    maxRunnersCeiling: settings.maxRunnersCeiling,
    maxGpusPerRunner: settings.maxGpusPerRunner,
    gpuClasses: settings.gpuClasses.map((c) => ({ name: c.name, ...(c.description ? { description: c.description } : {}) })),
    defaultGpuClass: settings.defaultGpuClass,
    ...(githubEnterpriseHost ? { githubEnterpriseHost: githubEnterpriseHost.toLowerCase() } : {}),
  };
}

export const defaultRequestLimits = requestLimits(defaultClusterSettings);

/** Type errors say "is required" when the field is missing, and what it must be otherwise. */
function typeError(field: string, expected: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined || issue.input === null ? `${field} is required` : `${field} must be ${expected}`;
}

/** One rule, or a group of independent rules that are all reported together. */
type Check = (value: string) => string | string[] | undefined;

/** A string field whose rules are tried in order; only the first broken one is reported. */
function text(field: string, checks: Check[]) {
  return z
    .string({ error: typeError(field, "text") })
    .trim()
    .superRefine((value, ctx) => {
      for (const check of checks) {
        const messages = [check(value) ?? []].flat();
        for (const message of messages) ctx.addIssue({ code: "custom", message });
        if (messages.length > 0) return;
      }
    });
}

/** A string or a JSON number, read as the trimmed string (IDs are often pasted as either). */
function textOrNumber(field: string, checks: Check[]) {
  return z
    .union([z.string(), z.number()], { error: typeError(field, "text or a number") })
    .transform((value) => String(value).trim())
    .pipe(text(field, checks));
}

const required =
  (field: string): Check =>
  (value) =>
    value.length === 0 ? `${field} is required` : undefined;

const maxLength =
  (field: string, max: number): Check =>
  (value) =>
    value.length > max ? `${field} must be at most ${max} characters` : undefined;

// Control characters, including the Unicode line and paragraph separators, would let a
// free-text value start a new line in a YAML or log file.
const oneLine =
  (field: string): Check =>
  (value) =>
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)
      ? `${field} must be a single line without control characters`
      : undefined;

const TEAM = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} ._()/+,'-]*$/u;
const EMAIL =
  /^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const GITHUB_LOGIN = /^@[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;
const GITHUB_ENTERPRISE_SLUG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,98}[A-Za-z0-9])?$/;
// Numeric App IDs, or Client IDs: "Iv1." and 16 hex digits (older Apps) or "Iv23" style.
const APP_ID = /^[1-9]\d{0,18}$/;
const CLIENT_ID = /^(?:Iv1\.[0-9a-f]{16}|Iv[0-9]{2}[A-Za-z0-9]{16})$/;
const INT64_MAX = 9223372036854775807n;

// Alphabets whose letters look alike: "rоcm" with a Cyrillic "о" reads as "rocm" but is
// another team. A word may use one of them, a name may use several ("ROCm Россия").
const CONFUSABLE_SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];

function mixesAlphabets(name: string): boolean {
  return name
    .split(/[^\p{L}\p{M}]+/u)
    .some((word) => CONFUSABLE_SCRIPTS.filter((script) => script.test(word)).length > 1);
}

const team = text("Team name", [
  required("Team name"),
  maxLength("Team name", 64),
  oneLine("Team name"),
  (v) =>
    TEAM.test(v)
      ? undefined
      : "Team name must start with a letter or digit and may contain only letters, digits, spaces and . _ - ( ) / + , '",
  (v) =>
    v.normalize("NFKC") !== v.normalize("NFC")
      ? "Team name must be typed with ordinary letters and digits, not full-width or other look-alike forms"
      : undefined,
  (v) =>
    mixesAlphabets(v)
      ? "Team name mixes alphabets within a word (e.g. a Cyrillic 'о' among Latin letters); type each word in one alphabet"
      : undefined,
]);

const contact = text("Contact", [
  required("Contact"),
  maxLength("Contact", 254),
  oneLine("Contact"),
  (v) =>
    EMAIL.test(v) || GITHUB_LOGIN.test(v)
      ? undefined
      : "Contact must be an e-mail address (name@example.com) or a GitHub login (@name)",
]);

function githubConfigUrl(enterpriseHost: string | undefined) {
  const hosts = enterpriseHost ? `github.com or ${enterpriseHost}` : "github.com";
  const example = "https://github.com/your-org or https://github.com/your-org/your-repo";
  return text("GitHub URL", [
    required("GitHub URL"),
    maxLength("GitHub URL", 300),
    (v) => (URL.canParse(v) ? undefined : `GitHub URL must be a full URL such as ${example}`),
    (v) => (new URL(v).protocol === "https:" ? undefined : "GitHub URL must start with https://"),
    (v) => {
      const url = new URL(v);
      return url.username || url.password ? "GitHub URL must not contain a user name or password" : undefined;
    },
    (v) => {
      const url = new URL(v);
      return url.search || url.hash || v.includes("?") || v.includes("#")
        ? "GitHub URL must not have a query (?) or fragment (#)"
        : undefined;
    },
    (v) => {
      const url = new URL(v);
      return url.host === "github.com" || url.host === enterpriseHost ? undefined : `GitHub URL must be on ${hosts}`;
    },
    (v) => githubPathProblem(new URL(v), enterpriseHost),
  ]).transform((v) => {
    const url = new URL(v);
    return `https://${url.host}/${pathSegments(url).join("/")}`;
  });
}

function pathSegments(url: URL): string[] {
  return url.pathname.split("/").filter((segment) => segment.length > 0);
}

function githubPathProblem(url: URL, enterpriseHost: string | undefined): string | undefined {
  const [first, second, ...rest] = pathSegments(url);
  const onEnterprise = url.host === enterpriseHost;
  if (first === undefined) return "GitHub URL must name an organisation, e.g. https://github.com/your-org";
  if (first === "orgs" && second !== undefined) {
    return `GitHub URL must be the organisation's address https://${url.host}/${second}, without /orgs/`;
  }
  if (first === "enterprises") {
    if (!onEnterprise) {
      return "GitHub URL may name an enterprise only on the GitHub Enterprise host; use an organisation or repository";
    }
    if (second === undefined || rest.length > 0 || !GITHUB_ENTERPRISE_SLUG.test(second)) {
      return `GitHub URL for an enterprise must look like https://${url.host}/enterprises/your-enterprise`;
    }
    return undefined;
  }
  if (rest.length > 0) {
    return "GitHub URL must be an organisation (https://github.com/your-org) or a repository (https://github.com/your-org/your-repo), with nothing after it";
  }
  if (!GITHUB_OWNER.test(first)) {
    return "GitHub URL's organisation must be 1-39 letters, digits or single hyphens, not starting or ending with '-'";
  }
  if (second !== undefined) {
    if (second.endsWith(".git")) return "GitHub URL must be the repository's web address, without .git";
    if (!GITHUB_REPO.test(second) || second === "." || second === "..") {
      return "GitHub URL's repository name may contain only letters, digits, '.', '_' and '-' (at most 100)";
    }
  }
  return undefined;
}

const label = text("Runner label", [(v) => rfc1123LabelProblems(v, "Runner label", 45)]);

const namespace = (reserved: Record<string, string>) =>
  text("Namespace", [
    (v) => rfc1123LabelProblems(v, "Namespace", 63),
    (v) => (v.startsWith("kube-") ? "Namespace must not start with 'kube-' (reserved for Kubernetes)" : undefined),
    (v) => (v === "default" ? "Namespace must not be 'default': runners get a namespace of their own" : undefined),
    (v) => (Object.hasOwn(reserved, v) ? `Namespace must not be '${v}': it is ${reserved[v]}; choose a namespace of your team's own` : undefined),
  ]);

const GI = 2 ** 30;
const memory = text("Memory per runner", [
  required("Memory per runner"),
  (v) =>
    /^\d+(\.\d+)?m$/.test(v)
      ? "Memory per runner must use Mi or Gi, not m (m means thousandths of a byte)"
      : undefined,
  (v) => (/^\d+(\.\d+)?$/.test(v) ? "Memory per runner needs a unit, e.g. 64Gi or 250000Mi" : undefined),
  (v) =>
    memoryBytes(v) === undefined
      ? "Memory per runner must be a Kubernetes quantity such as 64Gi or 250000Mi (units Ki, Mi, Gi, Ti or k, M, G, T)"
      : undefined,
  (v) => ((memoryBytes(v) ?? 0) < GI ? "Memory per runner must be at least 1Gi" : undefined),
  (v) => ((memoryBytes(v) ?? 0) > 4096 * GI ? "Memory per runner must be at most 4Ti" : undefined),
]);

const cpu = textOrNumber("CPU cores per runner", [
  required("CPU cores per runner"),
  (v) =>
    cpuMillicores(v) === undefined
      ? "CPU cores per runner must be a number of cores (8 or 1.5) or of millicores (500m), with at most 3 decimals"
      : undefined,
  (v) => ((cpuMillicores(v) ?? 0) < 100 ? "CPU cores per runner must be at least 100m (0.1 cores)" : undefined),
  (v) => ((cpuMillicores(v) ?? 0) > 256_000 ? "CPU cores per runner must be at most 256" : undefined),
]);

function wholeNumber(field: string, min: number, minRule: string, max: number, maxRule: string) {
  return z
    .number({ error: typeError(field, "a number") })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be ${minRule}`)
    .max(max, `${field} must be ${maxRule}`);
}

const docker = z.boolean({
  error: typeError("Docker", "true or false (do your workflows run docker?)"),
});

const image = z
  .string({ error: typeError("Runner image", "text") })
  .trim()
  .superRefine((v, ctx) => {
    if (v.length > IMAGE_REFERENCE_MAX) {
      ctx.addIssue({ code: "custom", message: `Runner image must be at most ${IMAGE_REFERENCE_MAX} characters` });
    } else if (v.length > 0 && !IMAGE_REFERENCE.test(v)) {
      ctx.addIssue({
        code: "custom",
        message: "Runner image must be an image reference such as ghcr.io/your-org/runner:tag (lowercase repository path)",
      });
    }
  })
  .optional()
  // An emptied form field means "use the cluster default", like an absent one.
  .transform((v) => (v === "" ? undefined : v));

const appId = textOrNumber("App ID", [
  required("App ID"),
  (v) =>
    APP_ID.test(v) || CLIENT_ID.test(v)
      ? undefined
      : "App ID must be the App's numeric ID (e.g. 123456) or its Client ID (e.g. Iv23li...), from the App's settings page",
]);

const installationId = textOrNumber("Installation ID", [
  required("Installation ID"),
  (v) => (/^\d+$/.test(v) ? undefined : "Installation ID must be a whole number (digits only)"),
  (v) => (BigInt(v) === 0n ? "Installation ID must be a positive number" : undefined),
  (v) => (BigInt(v) > INT64_MAX ? "Installation ID is too large to be a GitHub installation ID" : undefined),
]).transform((v) => BigInt(v).toString());

const privateKey = z
  .string({ error: typeError("Private key", "the text of a .pem file") })
  .superRefine((v, ctx) => {
    const problem = pemProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform((v) => `${normalisePem(v)}\n`);

const githubApp = z.object(
  { appId, installationId, privateKey },
  { error: typeError("GitHub App", "an object with appId, installationId and privateKey") },
);

/** Blank and null fields count as not given, so a draft can be saved (and re-read) without them. */
function optionalInDraft<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (v) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v),
    schema.optional(),
  );
}

const draftGithubApp = optionalInDraft(
  z.object(
    {
      appId: optionalInDraft(appId),
      installationId: optionalInDraft(installationId),
      privateKey: optionalInDraft(privateKey),
    },
    { error: typeError("GitHub App", "an object with appId, installationId and privateKey") },
  ),
);

/** The GPU class picked on the form: one of the cluster's; absent or blank means the cluster's default. */
function gpuClass(limits: RequestLimits) {
  const names = limits.gpuClasses.map((c) => c.name);
  return z
    .string({ error: typeError("GPU class", "the name of one of the cluster's GPU classes") })
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .superRefine((v, ctx) => {
      if (v !== undefined && !names.includes(v)) {
        ctx.addIssue({ code: "custom", message: `GPU class must be one of this cluster's classes: ${names.join(", ")}` });
      }
    });
}

function fields(limits: RequestLimits) {
  const ceiling = `at most ${limits.maxRunnersCeiling} (the cluster's ceiling)`;
  return {
    team,
    contact,
    githubConfigUrl: githubConfigUrl(limits.githubEnterpriseHost),
    label,
    namespace: namespace(limits.reservedNamespaces),
    memory,
    cpu,
    gpus: wholeNumber(
      "GPUs per runner",
      0,
      "0 or more",
      limits.maxGpusPerRunner,
      `at most ${limits.maxGpusPerRunner} (the GPUs of one node)`,
    ),
    minRunners: wholeNumber("Minimum runners", 0, "0 or more", limits.maxRunnersCeiling, ceiling),
    maxRunners: wholeNumber(
      "Maximum runners",
      1,
      "at least 1, or no job could ever run",
      limits.maxRunnersCeiling,
      ceiling,
    ),
    docker,
    image,
    gpuClass: gpuClass(limits),
  };
}

const REQUEST_TYPE_ERROR = "Request must be an object with the form's fields (team, contact, githubConfigUrl, ...)";

type Sizes = { minRunners: unknown; maxRunners: unknown };

// Runs even when other fields are wrong, so the form shows this next to the other problems.
const minNotAboveMax = {
  path: ["maxRunners"],
  message: "Maximum runners must be at least the minimum runners",
  when: (payload: { value: unknown }) => {
    const v = payload.value as Partial<Sizes> | undefined;
    return Number.isInteger(v?.minRunners) && Number.isInteger(v?.maxRunners);
  },
};

function minAtMostMax(request: Sizes): boolean {
  return (request.minRunners as number) <= (request.maxRunners as number);
}

/** The request schema for a cluster's limits: every field, credentials included. */
export function requestSchema(limits: RequestLimits = defaultRequestLimits) {
  return z.object({ ...fields(limits), githubApp }, { error: REQUEST_TYPE_ERROR }).refine(minAtMostMax, minNotAboveMax);
}

/** A draft may be saved before the GitHub App exists: its credentials may be missing or blank. */
export function draftRequestSchema(limits: RequestLimits = defaultRequestLimits) {
  return z
    .object({ ...fields(limits), githubApp: draftGithubApp }, { error: REQUEST_TYPE_ERROR })
    .refine(minAtMostMax, minNotAboveMax);
}

export const runnerRequestSchema = requestSchema();
export const draftRunnerRequestSchema = draftRequestSchema();

/** A validated request, normalised (trimmed text, canonical URL and IDs). */
export type RunnerRequest = z.infer<typeof runnerRequestSchema>;
/** What the form and request.json may hold before validation. */
export type RunnerRequestInput = z.input<typeof runnerRequestSchema>;
export type DraftRunnerRequest = z.infer<typeof draftRunnerRequestSchema>;

/** Everything that shapes the scale set, without credentials: what the live preview renders. */
export function scaleSetSchema(limits: RequestLimits = defaultRequestLimits) {
  return z.object(fields(limits), { error: REQUEST_TYPE_ERROR }).refine(minAtMostMax, minNotAboveMax);
}

/** Just what the GitHub check needs, so a person can check the App before finishing the form. */
export function githubCheckSchema(limits: RequestLimits = defaultRequestLimits) {
  return z.object({ githubConfigUrl: githubConfigUrl(limits.githubEnterpriseHost), githubApp }, { error: REQUEST_TYPE_ERROR });
}

/**
 * The cluster the requester would like (RunnerRequest.preferredClusterId): a registered cluster's
 * id, or blank/null for no preference. Kept out of the answers (`spec`): the reviewer decides the
 * cluster, and the server checks that the id is registered.
 */
export const preferredClusterSchema = z
  .union([z.string(), z.null()], { error: "Cluster must be a registered cluster's id, or empty for no preference" })
  .optional()
  .transform((v) => (typeof v === "string" ? v.trim() : v))
  .pipe(
    z
      .union([z.string().max(64, "Cluster must be a registered cluster's id").regex(/^[A-Za-z0-9_-]*$/, "Cluster must be a registered cluster's id"), z.null()])
      .optional()
      .transform((v) => (v === "" ? null : v)),
  );
