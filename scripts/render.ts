// Renders a request.json for review and automation:
//   npm run render -- <request.json>              the Helm values file
//   npm run render -- <request.json> --manifests  the Kubernetes objects, as multi-document YAML
//   npm run render -- <request.json> --workflow   the sample workflow
// Cluster settings come from the ARC_* environment variables (lib/arc/settings.ts), and
// GITHUB_URL names a GitHub Enterprise host to accept. The private key is never printed.

import { readFileSync } from "node:fs";
import {
  ClusterSettingsError,
  clusterSettingsFromEnv,
  githubAppSecret,
  multiDocumentYaml,
  renderManifests,
  renderValuesYaml,
  renderWorkflowYaml,
  type ClusterSettings,
} from "@/lib/arc";
import { fieldErrors } from "@/lib/requests/field-errors";
import { draftRequestSchema, requestLimits, type DraftRunnerRequest } from "@/lib/requests/schema";

const USAGE = "usage: npm run render -- <request.json> [--manifests | --workflow]";
const PRIVATE_KEY_PLACEHOLDER = "REDACTED: the portal supplies the private key at apply time";

/** Ends the run with a message on stderr; exit code 1 for bad input, 2 for bad usage. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function fail(message: string, exitCode: number): never {
  throw new CliError(message, exitCode);
}

function parseArgs(args: string[]): { file: string; output: "values" | "manifests" | "workflow" } {
  const flags = args.filter((a) => a.startsWith("--"));
  const files = args.filter((a) => !a.startsWith("--"));
  const unknown = flags.filter((f) => f !== "--manifests" && f !== "--workflow");
  if (files.length !== 1 || flags.length > 1 || unknown.length > 0) fail(USAGE, 2);
  const output = flags[0] === "--manifests" ? "manifests" : flags[0] === "--workflow" ? "workflow" : "values";
  return { file: files[0] ?? "", output };
}

function readRequestJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    fail(`${file}: cannot be read`, 1);
  }
  try {
    return JSON.parse(text);
  } catch {
    fail(`${file}: is not valid JSON`, 1);
  }
}

function enterpriseHost(githubUrl: string | undefined): string | undefined {
  if (!githubUrl || !URL.canParse(githubUrl)) return undefined;
  const host = new URL(githubUrl).host;
  return host === "github.com" ? undefined : host;
}

/** The chart's objects and the GitHub App Secret, in Helm's install order. */
function manifestsYaml(request: DraftRunnerRequest, settings: ClusterSettings): string {
  const [serviceAccount, ...rest] = renderManifests(request, settings);
  const app = request.githubApp;
  const secret = githubAppSecret(request, settings, {
    appId: app?.appId ?? "MISSING: githubApp.appId",
    installationId: app?.installationId ?? "MISSING: githubApp.installationId",
    privateKey: PRIVATE_KEY_PLACEHOLDER,
  });
  process.stderr.write(
    app?.privateKey
      ? "note: the private key was redacted; the Secret's github_app_private_key is a placeholder\n"
      : "note: the Secret's github_app_private_key is a placeholder; the portal supplies the key at apply time\n",
  );
  return multiDocumentYaml([serviceAccount, secret, ...rest]);
}

function main(): void {
  const { file, output } = parseArgs(process.argv.slice(2));
  let settings: ClusterSettings;
  try {
    settings = clusterSettingsFromEnv(process.env);
  } catch (error) {
    if (error instanceof ClusterSettingsError) fail(error.problems.join("\n"), 1);
    throw error;
  }
  const schema = draftRequestSchema(requestLimits(settings, enterpriseHost(process.env.GITHUB_URL)));
  const parsed = schema.safeParse(readRequestJson(file));
  if (!parsed.success) {
    fail(
      fieldErrors(parsed.error)
        .map((e) => `${e.field}: ${e.message}`)
        .join("\n"),
      1,
    );
  }
  const request = parsed.data;
  const text =
    output === "manifests"
      ? manifestsYaml(request, settings)
      : output === "workflow"
        ? renderWorkflowYaml(request)
        : renderValuesYaml(request, settings);
  process.stdout.write(text);
}

try {
  main();
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  process.stderr.write(`${error.message}\n`);
  // exitCode rather than exit(), so that piped output is flushed first.
  process.exitCode = error.exitCode;
}
