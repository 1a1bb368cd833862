import { DNS_SUBDOMAIN, DNS_SUBDOMAIN_MAX } from "@/lib/arc/kube-names";
import { isPlainObject, type ValuesData } from "@/lib/arc/overlay";
import { normalisePem } from "@/lib/crypto/pem";
import { privateKeyFingerprint, privateKeyProblem } from "@/lib/crypto/private-key";
import { unprocessable } from "@/lib/http-errors";

// The GitHub credentials a values file names. `githubConfigSecret` is either the name of a
// Secret that exists in the namespace (kept as it is), or the credentials themselves inline,
// which helm turns into a Secret of its own. Inline App credentials are taken out of the
// values before anything else reads them: the key is sealed like a key typed into the form,
// and no answer, log line or overlay ever carries it. A personal access token is refused:
// the portal runs scale sets with GitHub Apps only.

export type GitHubSecretSource =
  | { kind: "named"; name: string; from: "file" | "admin" }
  | { kind: "inline-app"; appId: string; installationId: string; pem: string; keyFingerprint: string }
  | { kind: "none" };

/** What may be shown of the source: never the key, only its fingerprint. */
export type GitHubSecretSummary =
  | { kind: "named"; name: string; from: "file" | "admin" }
  | { kind: "inline-app"; appId: string; installationId: string; keyFingerprint: string }
  | { kind: "none" };

export function summarise(source: GitHubSecretSource): GitHubSecretSummary {
  if (source.kind !== "inline-app") return source;
  const { pem: _never, ...shown } = source;
  return shown;
}

function secretNameProblem(name: string): string | undefined {
  if (name.length > DNS_SUBDOMAIN_MAX || !DNS_SUBDOMAIN.test(name)) {
    return "GitHub App Secret must be a Secret's name: lowercase letters, digits, '-' and '.', at most 253 characters";
  }
  return undefined;
}

const ID = /^[A-Za-z0-9.]{1,64}$/;
const idText = (v: unknown) => (typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "");

/**
 * The values without githubConfigSecret, and where the credentials come from. `adminSecret`
 * (a Secret name the admin typed) wins over the file. Throws 422 for a token or broken inline
 * credentials, with messages that never quote them.
 */
export function takeGitHubSecret(values: ValuesData, adminSecret?: string): { rest: ValuesData; source: GitHubSecretSource } {
  const { githubConfigSecret: secret, ...rest } = values;
  if (adminSecret) {
    const problem = secretNameProblem(adminSecret);
    if (problem) throw unprocessable("The GitHub App Secret is not a valid name.", { githubSecret: [problem] });
    return { rest, source: { kind: "named", name: adminSecret, from: "admin" } };
  }
  if (typeof secret === "string" && secret.trim() !== "") {
    const name = secret.trim();
    const problem = secretNameProblem(name);
    if (problem) throw unprocessable("The file's githubConfigSecret is not a Secret's name.", { githubSecret: [problem] });
    return { rest, source: { kind: "named", name, from: "file" } };
  }
  if (!isPlainObject(secret)) return { rest, source: { kind: "none" } };

  const token = secret.github_token;
  const hasApp = ["github_app_id", "github_app_installation_id", "github_app_private_key"].some((k) => secret[k] !== undefined && secret[k] !== "");
  if (typeof token === "string" && token !== "" && !hasApp) {
    throw unprocessable(
      "The file holds a personal access token (githubConfigSecret.github_token). The portal runs scale sets with GitHub Apps only, and has not kept the token.",
      { githubSecret: ["Create a Secret with a GitHub App's credentials in the namespace and give its name here, or remove github_token from the file"] },
    );
  }
  if (!hasApp) return { rest, source: { kind: "none" } };

  const appId = idText(secret.github_app_id);
  const installationId = idText(secret.github_app_installation_id);
  const pem = typeof secret.github_app_private_key === "string" ? secret.github_app_private_key : "";
  const errors: string[] = [];
  if (!ID.test(appId)) errors.push("githubConfigSecret.github_app_id must be the App's ID or Client ID");
  if (!/^\d{1,19}$/.test(installationId)) errors.push("githubConfigSecret.github_app_installation_id must be a whole number");
  const keyProblem = pem ? privateKeyProblem(pem) : "githubConfigSecret.github_app_private_key is missing";
  if (keyProblem) errors.push(`githubConfigSecret.github_app_private_key: ${keyProblem}`);
  if (errors.length > 0) {
    throw unprocessable("The file's inline GitHub App credentials cannot be used; nothing was kept.", { githubSecret: errors });
  }
  const normalised = `${normalisePem(pem)}\n`;
  return {
    rest,
    source: { kind: "inline-app", appId, installationId, pem: normalised, keyFingerprint: privateKeyFingerprint(normalised) },
  };
}
