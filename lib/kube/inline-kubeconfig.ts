import "server-only";
import { KubeConfig } from "@kubernetes/client-node";
import YAML from "yaml";
import { firstLine } from "@/lib/first-line";
import { KubeConfigError } from "./config";

// A kubeconfig pasted by an admin, held to what the portal can use without trusting its host to
// it: an https server and inline credentials only. client-node would otherwise run `exec` and
// `auth-provider` commands (with the portal's environment), read `token-file` and certificate
// paths on the portal's host, and send traffic through a `proxy-url`. The KubeConfig is built
// from the checked fields alone (loadFromOptions), never from the text, so a field this file
// does not know cannot reach the client. Every stored kubeconfig is loaded through here too,
// so one stored before these checks is refused at use.

const FILE_ON_HOST = "it names a file on the portal's host, which the portal would read; paste the file's content as";

/** Why each field that client-node understands is refused, with what to use instead. */
const REFUSED: Record<string, string> = {
  exec: "the portal would run that command on its host; paste a token or a client certificate instead",
  "auth-provider": "its plugin runs commands or fetches tokens from the portal's host; paste a token or a client certificate instead",
  "token-file": "it names a file on the portal's host, which the portal would read and send as the token; paste the token as token",
  "client-certificate": `${FILE_ON_HOST} client-certificate-data`,
  "client-key": `${FILE_ON_HOST} client-key-data`,
  "certificate-authority": `${FILE_ON_HOST} certificate-authority-data`,
  "proxy-url": "the portal would send the cluster's traffic, credentials included, through that host; the API server must be reachable directly",
  username: "basic authentication is not accepted (Kubernetes removed it in 1.19); use a token or a client certificate",
  password: "basic authentication is not accepted (Kubernetes removed it in 1.19); use a token or a client certificate",
  as: "impersonation is not accepted; give the credentials of the identity the portal should act as",
  "as-uid": "impersonation is not accepted; give the credentials of the identity the portal should act as",
  "as-groups": "impersonation is not accepted; give the credentials of the identity the portal should act as",
  "as-user-extra": "impersonation is not accepted; give the credentials of the identity the portal should act as",
};

const ALLOWED = {
  top: ["apiVersion", "kind", "clusters", "users", "contexts", "current-context", "preferences", "extensions"],
  cluster: ["server", "certificate-authority-data", "insecure-skip-tls-verify", "tls-server-name", "extensions"],
  user: ["token", "client-certificate-data", "client-key-data", "extensions"],
  context: ["cluster", "user", "namespace", "extensions"],
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function refuse(path: string, why: string): never {
  throw new KubeConfigError(`${path} is not allowed: ${why}`);
}

/** The object's fields, refusing any not in `allowed` with the reason when client-node would act on it. */
function onlyAllowed(obj: Obj, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    refuse(`${path}.${key}`, REFUSED[key] ?? `the portal accepts only ${allowed.join(", ")} here`);
  }
}

function optionalString(obj: Obj, key: string, path: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new KubeConfigError(`${path}.${key} must be text`);
  return v;
}

function entries(root: Obj, list: "clusters" | "users" | "contexts", inner: "cluster" | "user" | "context"): { name: string; body: Obj; path: string }[] {
  const value = root[list];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new KubeConfigError(`${list} must be a list`);
  return value.map((entry, i) => {
    const path = `${list}[${i}]`;
    if (!isObj(entry)) throw new KubeConfigError(`${path} must be a mapping with name and ${inner}`);
    onlyAllowed(entry, path, ["name", inner]);
    const name = optionalString(entry, "name", path);
    if (!name) throw new KubeConfigError(`${path}.name is missing`);
    const body = entry[inner] ?? {};
    if (!isObj(body)) throw new KubeConfigError(`${path}.${inner} must be a mapping`);
    return { name, body, path: `${path}.${inner}` };
  });
}

function httpsServer(body: Obj, path: string): string {
  const server = optionalString(body, "server", path);
  if (!server) throw new KubeConfigError(`${path}.server is missing`);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new KubeConfigError(`${path}.server is not a URL`);
  }
  if (url.protocol !== "https:" || !url.hostname) throw new KubeConfigError(`${path}.server must be an https:// URL: the portal sends the cluster's credentials to it`);
  if (url.username || url.password) refuse(`${path}.server`, "it carries a user name or password; put credentials in users[].user");
  return server.replace(/\/$/, "");
}

/**
 * The KubeConfig of a pasted or stored kubeconfig text, or KubeConfigError naming the first field
 * that is not allowed (and why), or what else keeps it from use. Error messages never quote the text.
 */
export function kubeConfigFromText(text: string): KubeConfig {
  let root: unknown;
  try {
    // The library's duplicate-key check is quadratic in a map's keys; a repeated key overwrites
    // instead, and what reaches the client is checked after.
    root = YAML.parse(text, { maxAliasCount: 50, uniqueKeys: false });
  } catch (err) {
    // The parser quotes the offending lines, which may hold a token: keep only its first line.
    const first = firstLine(err).replace(/:$/, "");
    throw new KubeConfigError(`The kubeconfig cannot be read: ${first}`);
  }
  if (!isObj(root)) throw new KubeConfigError("The kubeconfig cannot be read: it is not a YAML mapping with clusters, users and contexts.");
  onlyAllowed(root, "kubeconfig", ALLOWED.top);

  const clusters = entries(root, "clusters", "cluster").map(({ name, body, path }) => {
    onlyAllowed(body, path, ALLOWED.cluster);
    const skip = body["insecure-skip-tls-verify"];
    if (skip !== undefined && typeof skip !== "boolean") throw new KubeConfigError(`${path}.insecure-skip-tls-verify must be true or false`);
    return {
      name,
      server: httpsServer(body, path),
      caData: optionalString(body, "certificate-authority-data", path),
      tlsServerName: optionalString(body, "tls-server-name", path),
      skipTLSVerify: skip === true,
    };
  });
  const users = entries(root, "users", "user").map(({ name, body, path }) => {
    onlyAllowed(body, path, ALLOWED.user);
    const certData = optionalString(body, "client-certificate-data", path);
    const keyData = optionalString(body, "client-key-data", path);
    if (Boolean(certData) !== Boolean(keyData)) throw new KubeConfigError(`${path} needs both client-certificate-data and client-key-data, or neither`);
    return { name, token: optionalString(body, "token", path), certData, keyData };
  });
  const contexts = entries(root, "contexts", "context").map(({ name, body, path }) => {
    onlyAllowed(body, path, ALLOWED.context);
    const cluster = optionalString(body, "cluster", path);
    if (!cluster) throw new KubeConfigError(`${path}.cluster is missing`);
    return { name, cluster, user: optionalString(body, "user", path) ?? "", namespace: optionalString(body, "namespace", path) };
  });

  const currentContext = optionalString(root, "current-context", "kubeconfig");
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters, users, contexts, currentContext });
  if (!kc.getCurrentCluster()) throw new KubeConfigError("The kubeconfig has no current-context with a cluster; set current-context.");
  if (!kc.getCurrentUser()) throw new KubeConfigError("The kubeconfig's current context names no user to sign in as.");
  return kc;
}
