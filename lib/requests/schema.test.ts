import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  defaultRequestLimits,
  draftRequestSchema,
  draftRunnerRequestSchema,
  requestSchema,
  runnerRequestSchema,
  scaleSetSchema,
  type RunnerRequestInput,
} from "./schema";

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const RSA_PKCS1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const RSA_PKCS8 = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const EC_SEC1 = ec.privateKey.export({ type: "sec1", format: "pem" }).toString();
const EC_PKCS8 = ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const ENCRYPTED_PKCS8 = rsa.privateKey
  .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "secret" })
  .toString();
const ENCRYPTED_PKCS1 = rsa.privateKey
  .export({ type: "pkcs1", format: "pem", cipher: "aes-256-cbc", passphrase: "secret" })
  .toString();
const PUBLIC_KEY = rsa.publicKey.export({ type: "spki", format: "pem" }).toString();
const ed25519 = generateKeyPairSync("ed25519");
const OPENSSH_LIKE = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

function truncate(pem: string): string {
  const lines = pem.trim().split("\n");
  return [...lines.slice(0, 10), lines[lines.length - 1]].join("\n");
}

/** The playbook example of issue 3, with a real key. */
function valid(): RunnerRequestInput {
  return {
    team: "rocm",
    contact: "lead@example.com",
    githubConfigUrl: "https://github.com/ROCm",
    label: "linux-mi300-gpu-1",
    namespace: "arc-rocm",
    memory: "250000Mi",
    cpu: "8",
    gpus: 1,
    minRunners: 1,
    maxRunners: 3,
    docker: true,
    githubApp: { appId: "123", installationId: "456", privateKey: RSA_PKCS1 },
  };
}

type Patch = Record<string, unknown> & { githubApp?: Record<string, unknown> | undefined | string };

function withPatch(patch: Patch): unknown {
  const base = valid();
  const { githubApp, ...rest } = patch;
  return {
    ...base,
    ...rest,
    ...("githubApp" in patch
      ? { githubApp: typeof githubApp === "object" ? { ...base.githubApp, ...githubApp } : githubApp }
      : {}),
  };
}

function without(field: keyof RunnerRequestInput): unknown {
  const copy: Record<string, unknown> = { ...valid() };
  delete copy[field];
  return copy;
}

// Each row: a bad input, the field path that must be reported, and the rule its message must state.
const BAD: [string, unknown, string, RegExp][] = [
  ["team missing", without("team"), "team", /^Team name is required$/],
  ["team blank", withPatch({ team: "   " }), "team", /^Team name is required$/],
  ["team too long", withPatch({ team: "t".repeat(65) }), "team", /^Team name must be at most 64 characters$/],
  ["team YAML newline injection", withPatch({ team: "rocm\nlabel: evil" }), "team", /^Team name must be a single line/],
  ["team YAML flow injection", withPatch({ team: "rocm: {admin: true}" }), "team", /^Team name .*may contain only letters, digits, spaces/],
  ["team YAML list injection", withPatch({ team: "- evil" }), "team", /^Team name must start with a letter or digit/],
  ["team YAML comment", withPatch({ team: "rocm # x" }), "team", /^Team name .*may contain only/],
  ["team tab", withPatch({ team: "ro\tcm" }), "team", /^Team name must be a single line without control characters$/],
  ["team line separator", withPatch({ team: "ro\u2028cm" }), "team", /^Team name must be a single line/],
  ["team not text", withPatch({ team: 42 }), "team", /^Team name must be text$/],
  ["team with a Cyrillic homoglyph", withPatch({ team: "r\u043Ecm" }), "team", /^Team name mixes alphabets within a word/],
  ["team with a Greek homoglyph", withPatch({ team: "R\u039FCm" }), "team", /^Team name mixes alphabets within a word/],
  ["team in full-width letters", withPatch({ team: "\uFF52\uFF4F\uFF43\uFF4D" }), "team", /^Team name must be typed with ordinary letters/],
  ["team with a zero-width space", withPatch({ team: "ro\u200Bcm" }), "team", /^Team name .*may contain only/],
  ["team with a right-to-left override", withPatch({ team: "rocm\u202Etxt" }), "team", /^Team name .*may contain only/],
  ["contact not an address", withPatch({ contact: "lead" }), "contact", /^Contact must be an e-mail address .* or a GitHub login \(@name\)$/],
  ["contact newline injection", withPatch({ contact: "lead@example.com\nteam: x" }), "contact", /^Contact must be a single line/],
  ["contact login with hyphen ends", withPatch({ contact: "@-bad-" }), "contact", /^Contact must be an e-mail address/],
  ["contact login too long", withPatch({ contact: `@${"a".repeat(40)}` }), "contact", /^Contact must be an e-mail address/],
  ["contact with space", withPatch({ contact: "a b@example.com" }), "contact", /^Contact must be an e-mail address/],
  ["URL over http", withPatch({ githubConfigUrl: "http://github.com/ROCm" }), "githubConfigUrl", /^GitHub URL must start with https:\/\/$/],
  ["URL outside GitHub", withPatch({ githubConfigUrl: "https://gitlab.com/ROCm" }), "githubConfigUrl", /^GitHub URL must be on github\.com$/],
  ["URL on www.github.com", withPatch({ githubConfigUrl: "https://www.github.com/ROCm" }), "githubConfigUrl", /^GitHub URL must be on github\.com$/],
  ["URL without organisation", withPatch({ githubConfigUrl: "https://github.com/" }), "githubConfigUrl", /^GitHub URL must name an organisation/],
  ["URL deeper than a repository", withPatch({ githubConfigUrl: "https://github.com/ROCm/rocm/tree/main" }), "githubConfigUrl", /^GitHub URL must be an organisation .* or a repository .*nothing after it$/],
  ["URL of an enterprise on github.com", withPatch({ githubConfigUrl: "https://github.com/enterprises/amd" }), "githubConfigUrl", /^GitHub URL may name an enterprise only on the GitHub Enterprise host/],
  ["URL without scheme", withPatch({ githubConfigUrl: "github.com/ROCm" }), "githubConfigUrl", /^GitHub URL must be a full URL/],
  ["URL with credentials", withPatch({ githubConfigUrl: "https://user:pw@github.com/ROCm" }), "githubConfigUrl", /^GitHub URL must not contain a user name or password$/],
  ["URL with query", withPatch({ githubConfigUrl: "https://github.com/ROCm?tab=repositories" }), "githubConfigUrl", /^GitHub URL must not have a query/],
  ["URL of the org settings page", withPatch({ githubConfigUrl: "https://github.com/orgs/ROCm" }), "githubConfigUrl", /^GitHub URL must be the organisation's address https:\/\/github\.com\/ROCm, without \/orgs\/$/],
  ["URL org starting with '-'", withPatch({ githubConfigUrl: "https://github.com/-rocm" }), "githubConfigUrl", /^GitHub URL's organisation must be 1-39 letters/],
  ["URL of a clone address", withPatch({ githubConfigUrl: "https://github.com/ROCm/rocm.git" }), "githubConfigUrl", /^GitHub URL must be the repository's web address, without \.git$/],
  ["label uppercase", withPatch({ label: "Linux-MI300" }), "label", /^Runner label must be lowercase$/],
  ["label with '_'", withPatch({ label: "linux_mi300" }), "label", /^Runner label must not contain '_' \(use '-' instead\)$/],
  ["label of 46 characters", withPatch({ label: "a".repeat(46) }), "label", /^Runner label must be at most 45 characters$/],
  ["label starting with '-'", withPatch({ label: "-mi300" }), "label", /^Runner label must start and end with a letter or digit$/],
  ["label ending with '-'", withPatch({ label: "mi300-" }), "label", /^Runner label must start and end with a letter or digit$/],
  ["label with '.'", withPatch({ label: "linux.mi300" }), "label", /^Runner label may contain only lowercase letters, digits and '-'$/],
  ["label empty", withPatch({ label: "" }), "label", /^Runner label is required$/],
  ["namespace of 64 characters", withPatch({ namespace: "n".repeat(64) }), "namespace", /^Namespace must be at most 63 characters$/],
  ["namespace uppercase", withPatch({ namespace: "ARC-rocm" }), "namespace", /^Namespace must be lowercase$/],
  ["namespace kube-system", withPatch({ namespace: "kube-system" }), "namespace", /^Namespace must not start with 'kube-'/],
  ["namespace default", withPatch({ namespace: "default" }), "namespace", /^Namespace must not be 'default'/],
  ["memory without unit", withPatch({ memory: "64" }), "memory", /^Memory per runner needs a unit, e\.g\. 64Gi/],
  ["memory in GB", withPatch({ memory: "64GB" }), "memory", /^Memory per runner must be a Kubernetes quantity such as 64Gi/],
  ["memory in milli-bytes", withPatch({ memory: "64m" }), "memory", /^Memory per runner must use Mi or Gi, not m/],
  ["memory negative", withPatch({ memory: "-1Gi" }), "memory", /^Memory per runner must be a Kubernetes quantity/],
  ["memory lowercase unit", withPatch({ memory: "64gi" }), "memory", /^Memory per runner must be a Kubernetes quantity/],
  ["memory too small", withPatch({ memory: "512Mi" }), "memory", /^Memory per runner must be at least 1Gi$/],
  ["memory too large", withPatch({ memory: "5Ti" }), "memory", /^Memory per runner must be at most 4Ti$/],
  ["cpu in words", withPatch({ cpu: "eight" }), "cpu", /^CPU cores per runner must be a number of cores \(8 or 1\.5\) or of millicores \(500m\)/],
  ["cpu too precise", withPatch({ cpu: "0.0001" }), "cpu", /^CPU cores per runner .* at most 3 decimals$/],
  ["cpu too small", withPatch({ cpu: "50m" }), "cpu", /^CPU cores per runner must be at least 100m/],
  ["cpu too large", withPatch({ cpu: "1000" }), "cpu", /^CPU cores per runner must be at most 256$/],
  ["cpu blank", withPatch({ cpu: " " }), "cpu", /^CPU cores per runner is required$/],
  ["gpus negative", withPatch({ gpus: -1 }), "gpus", /^GPUs per runner must be 0 or more$/],
  ["gpus fractional", withPatch({ gpus: 1.5 }), "gpus", /^GPUs per runner must be a whole number$/],
  ["gpus as text", withPatch({ gpus: "1" }), "gpus", /^GPUs per runner must be a number$/],
  ["gpus above one node", withPatch({ gpus: 9 }), "gpus", /^GPUs per runner must be at most 8 \(the GPUs of one node\)$/],
  ["minRunners negative", withPatch({ minRunners: -1 }), "minRunners", /^Minimum runners must be 0 or more$/],
  ["minRunners fractional", withPatch({ minRunners: 0.5 }), "minRunners", /^Minimum runners must be a whole number$/],
  ["maxRunners zero", withPatch({ minRunners: 0, maxRunners: 0 }), "maxRunners", /^Maximum runners must be at least 1, or no job could ever run$/],
  ["maxRunners above the ceiling", withPatch({ maxRunners: 21 }), "maxRunners", /^Maximum runners must be at most 20 \(the cluster's ceiling\)$/],
  ["min above max", withPatch({ minRunners: 5, maxRunners: 3 }), "maxRunners", /^Maximum runners must be at least the minimum runners$/],
  ["docker as text", withPatch({ docker: "yes" }), "docker", /^Docker must be true or false/],
  ["docker missing", without("docker"), "docker", /^Docker is required$/],
  ["image with spaces", withPatch({ image: "my runner image" }), "image", /^Runner image must be an image reference such as ghcr\.io/],
  ["image with uppercase path", withPatch({ image: "ghcr.io/ROCm/Runner:latest" }), "image", /^Runner image must be an image reference/],
  ["image with an uppercase first path part", withPatch({ image: "ROCm/runner:latest" }), "image", /lowercase repository path/],
  ["image with an uppercase single path", withPatch({ image: "Runner:latest" }), "image", /lowercase repository path/],
  ["image with uppercase after localhost", withPatch({ image: "localhost/ROCm/runner" }), "image", /lowercase repository path/],
  ["image with uppercase after a registry port", withPatch({ image: "registry:5000/Team/runner:1" }), "image", /lowercase repository path/],
  ["credentials missing", without("githubApp"), "githubApp", /^GitHub App is required$/],
  ["appId in words", withPatch({ githubApp: { appId: "my-app" } }), "githubApp.appId", /^App ID must be the App's numeric ID .* or its Client ID/],
  ["appId zero", withPatch({ githubApp: { appId: "0" } }), "githubApp.appId", /^App ID must be the App's numeric ID/],
  ["installationId fractional", withPatch({ githubApp: { installationId: "12.5" } }), "githubApp.installationId", /^Installation ID must be a whole number \(digits only\)$/],
  ["installationId negative", withPatch({ githubApp: { installationId: -5 } }), "githubApp.installationId", /^Installation ID must be a whole number/],
  ["installationId zero", withPatch({ githubApp: { installationId: "0" } }), "githubApp.installationId", /^Installation ID must be a positive number$/],
  ["installationId beyond int64", withPatch({ githubApp: { installationId: "99999999999999999999" } }), "githubApp.installationId", /^Installation ID is too large/],
  ["installationId blank", withPatch({ githubApp: { installationId: "" } }), "githubApp.installationId", /^Installation ID is required$/],
  ["privateKey not PEM", withPatch({ githubApp: { privateKey: "not a key" } }), "githubApp.privateKey", /^Private key must be a PEM file starting with -----BEGIN RSA PRIVATE KEY-----/],
  ["privateKey EC (SEC1)", withPatch({ githubApp: { privateKey: EC_SEC1 } }), "githubApp.privateKey", /^Private key must be an RSA private key \(GitHub App keys are RSA\), not an EC key$/],
  ["privateKey EC (PKCS#8)", withPatch({ githubApp: { privateKey: EC_PKCS8 } }), "githubApp.privateKey", /^Private key must be an RSA private key .*not another key type$/],
  ["privateKey Ed25519 (PKCS#8)", withPatch({ githubApp: { privateKey: ed25519.privateKey.export({ type: "pkcs8", format: "pem" }).toString() } }), "githubApp.privateKey", /^Private key must be an RSA private key/],
  ["privateKey encrypted PKCS#8", withPatch({ githubApp: { privateKey: ENCRYPTED_PKCS8 } }), "githubApp.privateKey", /^Private key must not be encrypted/],
  ["privateKey encrypted PKCS#1", withPatch({ githubApp: { privateKey: ENCRYPTED_PKCS1 } }), "githubApp.privateKey", /^Private key must not be encrypted/],
  ["privateKey truncated", withPatch({ githubApp: { privateKey: truncate(RSA_PKCS1) } }), "githubApp.privateKey", /^Private key is truncated/],
  ["privateKey public half", withPatch({ githubApp: { privateKey: PUBLIC_KEY } }), "githubApp.privateKey", /^Private key must be an RSA private key .*not a public key$/],
  ["privateKey two keys", withPatch({ githubApp: { privateKey: RSA_PKCS1 + RSA_PKCS8 } }), "githubApp.privateKey", /^Private key must contain exactly one key$/],
  ["privateKey without END", withPatch({ githubApp: { privateKey: RSA_PKCS1.replace(/-----END[^]*$/, "") } }), "githubApp.privateKey", /^Private key is incomplete: its -----END line is missing$/],
  ["privateKey body not base64", withPatch({ githubApp: { privateKey: RSA_PKCS1.replace(/\n[A-Za-z0-9+/]{10}/, "\n!!!!!!!!!!") } }), "githubApp.privateKey", /^Private key body must be base64/],
  ["privateKey OpenSSH", withPatch({ githubApp: { privateKey: OPENSSH_LIKE } }), "githubApp.privateKey", /^Private key must be an RSA private key .*not an OpenSSH key$/],
  ["privateKey with text before it", withPatch({ githubApp: { privateKey: `my key:\n${RSA_PKCS1}` } }), "githubApp.privateKey", /^Private key must start with its -----BEGIN line/],
  ["request not an object", "rocm", "", /^Request must be an object with the form's fields/],
];

describe("request schema: bad inputs", () => {
  it("has at least 40 distinct cases", () => {
    expect(new Set(BAD.map(([name]) => name)).size).toBe(BAD.length);
    expect(BAD.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BAD)("rejects %s", (_name, input, path, rule) => {
    const result = runnerRequestSchema.safeParse(input);
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })) ?? [];
    expect(issues).toContainEqual({ path, message: expect.stringMatching(rule) });
  });

  it("never echoes a private key in its messages", () => {
    for (const key of [truncate(RSA_PKCS1), EC_SEC1, ENCRYPTED_PKCS8, `${RSA_PKCS1}junk`]) {
      const result = runnerRequestSchema.safeParse(withPatch({ githubApp: { privateKey: key } }));
      const body = key.split("\n")[2] ?? "";
      expect(body.length).toBeGreaterThan(20);
      for (const issue of result.error?.issues ?? []) expect(issue.message).not.toContain(body);
    }
  });
});

describe("request schema: good inputs", () => {
  it("accepts the issue's example and normalises it", () => {
    const result = runnerRequestSchema.parse(valid());
    expect(result).toEqual({ ...valid(), githubApp: { appId: "123", installationId: "456", privateKey: RSA_PKCS1 } });
    expect(result.image).toBeUndefined();
  });

  it.each<[string, Patch, Record<string, unknown>]>([
    ["a PKCS#8 RSA key", { githubApp: { privateKey: RSA_PKCS8 } }, {}],
    ["a key with Windows line ends", { githubApp: { privateKey: RSA_PKCS1.replaceAll("\n", "\r\n") } }, {}],
    ["a GitHub login as contact", { contact: "@octocat" }, { contact: "@octocat" }],
    ["a repository URL", { githubConfigUrl: "https://github.com/ROCm/TheRock" }, { githubConfigUrl: "https://github.com/ROCm/TheRock" }],
    ["a URL with a trailing slash and capital host", { githubConfigUrl: " https://GitHub.com/ROCm/ " }, { githubConfigUrl: "https://github.com/ROCm" }],
    ["numbers for the IDs", { githubApp: { appId: 123456, installationId: 7890 } }, { githubApp: { appId: "123456", installationId: "7890", privateKey: RSA_PKCS1 } }],
    ["an installation ID with leading zeros", { githubApp: { installationId: "00456" } }, { githubApp: { appId: "123", installationId: "456", privateKey: RSA_PKCS1 } }],
    ["an old Client ID", { githubApp: { appId: "Iv1.0123456789abcdef" } }, {}],
    ["a new Client ID", { githubApp: { appId: "Iv23liAbCdEfGhIjKlMn" } }, {}],
    ["no GPUs", { gpus: 0 }, { gpus: 0 }],
    ["millicores", { cpu: "500m" }, { cpu: "500m" }],
    ["fractional cores", { cpu: "1.5" }, { cpu: "1.5" }],
    ["cores as a JSON number", { cpu: 8 }, { cpu: "8" }],
    ["memory in Gi", { memory: "64Gi" }, { memory: "64Gi" }],
    ["memory with a fraction", { memory: "1.5Ti" }, { memory: "1.5Ti" }],
    ["a team name with accents and punctuation", { team: "Équipe ROCm (MI300), O'Brien" }, { team: "Équipe ROCm (MI300), O'Brien" }],
    ["a team name in two alphabets, one per word", { team: "ROCm Россия" }, { team: "ROCm Россия" }],
    ["a team name with decomposed accents", { team: "E\u0301quipe" }, { team: "E\u0301quipe" }],
    ["an empty image", { image: "" }, { image: undefined }],
    ["an image with registry port and digest", { image: `registry.example.com:5000/team/runner:1.0@sha256:${"a".repeat(64)}` }, {}],
    ["an image with an uppercase tag", { image: "ghcr.io/rocm/runner:ROCm-6.4_Ubuntu" }, {}],
    ["an image with an uppercase registry host", { image: "GHCR.io/rocm/runner:latest" }, {}],
    ["an image on Docker Hub without a registry", { image: "rocm/dev-ubuntu-22.04:6.4" }, {}],
    ["an image on localhost and on a registry with a port only", { image: "localhost/runner" }, {}],
    ["an image on a dotless registry with a port", { image: "registry:5000/team/runner:1" }, {}],
    ["min 0 and max 1", { minRunners: 0, maxRunners: 1 }, { minRunners: 0, maxRunners: 1 }],
    ["min equal to max at the ceiling", { minRunners: 20, maxRunners: 20 }, {}],
    ["a 45-character label", { label: "a".repeat(45) }, { label: "a".repeat(45) }],
  ])("accepts %s", (_name, patch, expected) => {
    const result = runnerRequestSchema.safeParse(withPatch(patch));
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.data).toMatchObject(expected);
  });

  it("stores the key with normalised line ends", () => {
    const result = runnerRequestSchema.parse(withPatch({ githubApp: { privateKey: `\n${RSA_PKCS1.replaceAll("\n", "\r\n")}\n` } }));
    expect(result.githubApp.privateKey).toBe(RSA_PKCS1);
  });
});

describe("request schema: limits", () => {
  it("takes the max-runners ceiling and the GPU limit as parameters", () => {
    const schema = requestSchema({ ...defaultRequestLimits, maxRunnersCeiling: 50, maxGpusPerRunner: 4 });
    expect(schema.safeParse(withPatch({ maxRunners: 50 })).success).toBe(true);
    const issues = schema.safeParse(withPatch({ maxRunners: 51, gpus: 5 })).error?.issues ?? [];
    expect(issues.map((i) => i.message)).toEqual([
      "GPUs per runner must be at most 4 (the GPUs of one node)",
      "Maximum runners must be at most 50 (the cluster's ceiling)",
    ]);
  });

  it("accepts one of the cluster's GPU classes, none (the default class) or a blank one", () => {
    const schema = requestSchema({
      ...defaultRequestLimits,
      gpuClasses: [{ name: "mi300", description: "MI300X" }, { name: "mi250" }],
      defaultGpuClass: "mi300",
    });
    expect(schema.parse(withPatch({ gpuClass: " mi250 " })).gpuClass).toBe("mi250");
    expect(schema.parse(withPatch({ gpuClass: "" })).gpuClass).toBeUndefined();
    expect("gpuClass" in schema.parse(withPatch({}))).toBe(false);
    expect(schema.safeParse(withPatch({ gpuClass: "h100" })).error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["gpuClass", "GPU class must be one of this cluster's classes: mi300, mi250"],
    ]);
    expect(schema.safeParse(withPatch({ gpuClass: 3 })).error?.issues[0]?.message).toBe(
      "GPU class must be the name of one of the cluster's GPU classes",
    );
  });

  it("accepts the configured GitHub Enterprise host, including enterprises there", () => {
    const schema = requestSchema({ ...defaultRequestLimits, githubEnterpriseHost: "github.example.com" });
    for (const url of [
      "https://github.example.com/enterprises/amd",
      "https://github.example.com/rocm/runner-tests",
      "https://github.com/ROCm",
    ]) {
      expect(schema.safeParse(withPatch({ githubConfigUrl: url })).data?.githubConfigUrl).toBe(url);
    }
    const issues = schema.safeParse(withPatch({ githubConfigUrl: "https://ghe.other.com/rocm" })).error?.issues;
    expect(issues?.[0]?.message).toBe("GitHub URL must be on github.com or github.example.com");
    expect(runnerRequestSchema.safeParse(withPatch({ githubConfigUrl: "https://github.example.com/rocm" })).success).toBe(
      false,
    );
  });
});

describe("draft schema", () => {
  it("accepts missing or blank credentials", () => {
    expect(draftRunnerRequestSchema.safeParse(without("githubApp")).success).toBe(true);
    const blank = draftRunnerRequestSchema.parse(withPatch({ githubApp: { appId: "", installationId: " ", privateKey: "" } }));
    expect(blank.githubApp).toEqual({ appId: undefined, installationId: undefined, privateKey: undefined });
  });

  it("reads back a stored draft, whose missing credentials are null", () => {
    const stored = withPatch({ githubApp: { appId: null, installationId: null, privateKey: null } });
    expect(draftRunnerRequestSchema.safeParse(stored).success).toBe(true);
    expect(draftRunnerRequestSchema.safeParse({ ...valid(), githubApp: null }).data?.githubApp).toBeUndefined();
  });

  it("still rejects credentials that are given but wrong, and every other field", () => {
    const issues = draftRequestSchema().safeParse(withPatch({ label: "Bad", githubApp: { appId: "x", privateKey: "y" } }))
      .error?.issues;
    expect(issues?.map((i) => i.path.join("."))).toEqual(["label", "githubApp.appId", "githubApp.privateKey"]);
  });
});

describe("scale-set schema", () => {
  it("validates everything but the credentials, which it leaves out", () => {
    const result = scaleSetSchema().parse(withPatch({ githubApp: { privateKey: "half a key" } }));
    expect(result).not.toHaveProperty("githubApp");
    expect(result.label).toBe("linux-mi300-gpu-1");
    const issues = scaleSetSchema().safeParse(withPatch({ memory: "64" })).error?.issues;
    expect(issues?.map((i) => i.path.join("."))).toEqual(["memory"]);
  });
});
