import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, describe, expect, it } from "vitest";

// The CLI as a team lead or a script runs it: a real process, real files, real exit codes.

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const GOLDEN = path.join(ROOT, "lib", "arc", "__golden__");
const DIND_REQUEST = path.join(GOLDEN, "dind.request.json");
const work = mkdtempSync(path.join(tmpdir(), "render-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function render(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [TSX, "scripts/render.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    // Only PATH from outside, so that ARC_* settings of the developer's shell do not leak in.
    env: { ...env, PATH: process.env.PATH, NODE_ENV: "test" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function requestFile(name: string, patch: Record<string, unknown>): string {
  const file = path.join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(DIND_REQUEST, "utf8")), ...patch }));
  return file;
}

function golden(file: string): string {
  return readFileSync(path.join(GOLDEN, file), "utf8");
}

describe("npm run render", () => {
  it("prints the values file", () => {
    expect(render([DIND_REQUEST])).toEqual({ code: 0, stdout: golden("dind.values.yaml"), stderr: "" });
  });

  it("prints the sample workflow with --workflow", () => {
    expect(render([DIND_REQUEST, "--workflow"])).toEqual({ code: 0, stdout: golden("dind.workflow.yaml"), stderr: "" });
  });

  it("prints the objects with --manifests, the Secret in Helm's order, and never the private key", () => {
    const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const file = requestFile("with-key", { githubApp: { appId: "123", installationId: "456", privateKey: pem } });
    const { code, stdout, stderr } = render([file, "--manifests"]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^note: the private key was redacted/);
    const objects = parseAllDocuments(stdout).map((doc) => doc.toJS());
    expect(objects.map((o) => o.kind)).toEqual(["ServiceAccount", "Secret", "Role", "RoleBinding", "AutoscalingRunnerSet"]);
    const chartObjects = parseAllDocuments(golden("dind.manifests.yaml")).map((doc) => doc.toJS());
    expect(objects.filter((o) => o.kind !== "Secret")).toEqual(chartObjects);
    const data = objects[1].data as Record<string, string>;
    expect(Buffer.from(data.github_app_id ?? "", "base64").toString()).toBe("123");
    expect(Buffer.from(data.github_app_private_key ?? "", "base64").toString()).toMatch(/^REDACTED/);
    for (const line of pem.split("\n").filter((l) => l.length > 16 && !l.startsWith("-----"))) {
      expect(stdout).not.toContain(line);
    }
    expect(stdout).not.toContain(Buffer.from(pem).toString("base64").slice(0, 40));
  });

  it("prints one `field: message` line per problem and exits 1 on bad input", () => {
    const file = requestFile("bad", { label: "Linux_MI300", maxRunners: 0, githubApp: { installationId: "12.5" } });
    const { code, stdout, stderr } = render([file]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([
      "label: Runner label must be lowercase",
      "label: Runner label must not contain '_' (use '-' instead)",
      "maxRunners: Maximum runners must be at least 1, or no job could ever run",
      "githubApp.installationId: Installation ID must be a whole number (digits only)",
      "maxRunners: Maximum runners must be at least the minimum runners",
    ]);
  });

  it("reads cluster settings from the environment", () => {
    const { code, stderr } = render([DIND_REQUEST], { ARC_MAX_RUNNERS_CEILING: "2" });
    expect(code).toBe(1);
    expect(stderr).toBe("maxRunners: Maximum runners must be at most 2 (the cluster's ceiling)\n");
    const custom = render([DIND_REQUEST], { ARC_SECRET_NAME_TEMPLATE: "{label}-github-app", ARC_CHART_VERSION: "0.13.1" });
    expect(custom.stdout).toContain("githubConfigSecret: linux-mi300-gpu-1-github-app\n");
    expect(custom.stdout).toContain("--version 0.13.1");
  });

  it("accepts the GitHub Enterprise host named by GITHUB_URL", () => {
    const file = requestFile("ghe", { githubConfigUrl: "https://github.example.com/enterprises/amd" });
    expect(render([file]).code).toBe(1);
    const { code, stdout } = render([file], { GITHUB_URL: "https://github.example.com" });
    expect(code).toBe(0);
    expect(stdout).toContain("githubConfigUrl: https://github.example.com/enterprises/amd\n");
  });

  it("names bad settings", () => {
    expect(render([DIND_REQUEST], { ARC_GPU_RESOURCE: "gpu" })).toEqual({
      code: 1,
      stdout: "",
      stderr: "ARC_GPU_RESOURCE must be an extended resource name such as amd.com/gpu\n",
    });
  });

  it("names files it cannot read or parse", () => {
    expect(render([path.join(work, "missing.json")]).stderr).toMatch(/missing\.json: cannot be read\n$/);
    const notJson = path.join(work, "not.json");
    writeFileSync(notJson, "team: rocm");
    expect(render([notJson])).toMatchObject({ code: 1, stderr: `${notJson}: is not valid JSON\n` });
  });

  it("shows its usage and exits 2 when called wrongly", () => {
    expect(render([])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^usage: npm run render -- <request\.json>/) });
    expect(render([DIND_REQUEST, "--yaml"]).code).toBe(2);
  });
});
