import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { createDatabase, freePort, startEmbeddedPostgres, type RunningPostgres } from "@/scripts/db/embedded-postgres";
import { BASE_IMAGE, ensureBaseImage } from "./base";
import { podman, podmanProblem } from "./podman";

// `npm test -- image`: builds the image from the standard Dockerfile on a local base, runs
// its migration one-shot and the portal against a real PostgreSQL, and checks what a
// cluster would probe, from outside the container. Each check counts as one test.
//
// Where podman cannot run at all, the stage prints SKIPPED and counts as one failure: an
// image nobody built proves nothing. IMAGE_TEST=skip is the explicit opt-out; then the
// stage counts nothing and says so.

const root = path.resolve(import.meta.dirname, "../..");
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
const SECRETS = {
  NEXTAUTH_SECRET: "image-test-secret-image-test-secret-0123456789",
  ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
  METRICS_TOKEN: "image-test-metrics-token",
  // Production refuses demo sign-in; the OAuth app is never called by these checks.
  GITHUB_CLIENT_ID: "image-test-client",
  GITHUB_CLIENT_SECRET: "image-test-client-secret",
};

export interface StageResult {
  passed: number;
  failed: number;
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

export async function imageStage(): Promise<StageResult> {
  const result: StageResult = { passed: 0, failed: 0 };
  const check = (name: string, ok: boolean, detail = "") => {
    result[ok ? "passed" : "failed"] += 1;
    console.log(`[image] ${ok ? "pass" : "FAIL"}: ${name}${!ok && detail ? `\n        ${detail}` : ""}`);
    return ok;
  };

  if (process.env.IMAGE_TEST === "skip") {
    console.log("\n[image] ******** SKIPPED: IMAGE_TEST=skip; the image was NOT built or tested ********");
    return result;
  }
  const problem = podmanProblem();
  if (problem) {
    console.log(`\n[image] ******** SKIPPED: podman cannot run here: ${problem} ********`);
    console.log("[image] counted as a failure; set IMAGE_TEST=skip to leave the image untested on purpose");
    check("podman runs here", false, problem);
    return result;
  }

  const tag = `localhost/arc-runner-portal:test-${process.pid}`;
  const container = `arc-portal-image-test-${process.pid}`;
  let pg: RunningPostgres | undefined;
  try {
    let t = Date.now();
    const baseSeconds = ensureBaseImage();
    console.log(`[image] base image ${BASE_IMAGE}: ${baseSeconds === null ? "cached in podman's store" : `built in ${baseSeconds.toFixed(1)} s`}`);

    t = Date.now();
    const secret = existsSync(CA_BUNDLE) ? ["--secret", `id=ca,src=${CA_BUNDLE}`] : [];
    const build = podman(["build", ...secret, "--build-arg", `NODE_IMAGE=${BASE_IMAGE}`, "-t", tag, "-f", path.join(root, "Dockerfile"), root], { inherit: true });
    console.log(`[image] portal image build: ${seconds(t)}`);
    if (!check("the portal image builds from the standard Dockerfile", build.status === 0, `podman build exited ${build.status}`)) return result;
    const size = podman(["image", "inspect", tag, "--format", "{{.Size}}"]).stdout.trim();
    console.log(`[image] portal image size: ${(Number(size) / 1e6).toFixed(0)} MB`);
    const user = podman(["image", "inspect", tag, "--format", "{{.Config.User}}"]).stdout.trim();
    check("the image runs as uid 1000 unless told otherwise", user === "1000:1000", `Config.User is "${user}"`);

    // Host networking: the embedded PostgreSQL listens on 127.0.0.1 only.
    pg = await startEmbeddedPostgres({ dataDir: path.join(root, ".data", `image-pg-${process.pid}`), persistent: false });
    const databaseUrl = await createDatabase(pg.url, `arc_portal_image_${Date.now()}`);
    const runOnce = (cmd: string[]) =>
      podman(["run", "--rm", "--read-only", "--network=host", "--cap-drop=ALL", "--security-opt=no-new-privileges", "-e", `DATABASE_URL=${databaseUrl}`, tag, ...cmd]);
    const migrations = readdirSync(path.join(root, "prisma/migrations"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    const lastLog = (out: string) => {
      try {
        return JSON.parse(out.trim().split("\n").at(-1) ?? "") as { msg?: string; applied?: string[]; alreadyApplied?: number };
      } catch {
        return {};
      }
    };
    const first = runOnce(["node", "migrate.mjs"]);
    const done = lastLog(first.stdout + first.stderr);
    check(
      "`node migrate.mjs` in the image migrates an empty database",
      first.status === 0 && done.msg === "migrate: done" && JSON.stringify(done.applied) === JSON.stringify(migrations),
      `exit ${first.status}: ${(first.stdout + first.stderr).trim().split("\n").slice(-3).join(" | ")}`,
    );
    const again = lastLog(runOnce(["node", "migrate.mjs"]).stdout);
    check("a second `node migrate.mjs` applies nothing", again.alreadyApplied === migrations.length && again.applied?.length === 0, JSON.stringify(again));

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { ...SECRETS, DATABASE_URL: databaseUrl, NEXTAUTH_URL: base, PORT: String(port), HOSTNAME: "127.0.0.1" };
    t = Date.now();
    const started = podman([
      "run", "-d", "--name", container, "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp", "--tmpfs", "/app/.next/cache",
      "--network=host", "--cap-drop=ALL", "--security-opt=no-new-privileges",
      ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
      tag,
    ]);
    if (!check("the portal container starts read-only", started.status === 0, started.stderr.trim())) return result;
    let ready: Response | undefined;
    while (Date.now() - t < 60_000) {
      ready = await fetch(`${base}/api/health/ready`).catch(() => undefined);
      if (ready?.ok) break;
      if (podman(["container", "inspect", container, "--format", "{{.State.Running}}"]).stdout.trim() !== "true") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`[image] container start to ready: ${seconds(t)}`);
    const readyBody = ready?.ok ? ((await ready.json()) as { database?: string }) : {};
    if (!check("GET /api/health/ready answers 200 with the database ok", !!ready?.ok && readyBody.database === "ok", `status ${ready?.status ?? "none"}; log:\n${podman(["logs", "--tail", "20", container]).stderr}`)) return result;

    const live = await fetch(`${base}/api/health/live`);
    check("GET /api/health/live answers 200", live.status === 200, `status ${live.status}`);

    const signin = await fetch(`${base}/signin`);
    const html = await signin.text();
    check("GET /signin serves the sign-in page", signin.status === 200 && /<title>[^<]*Sign in/.test(html), `status ${signin.status}`);
    const asset = /\/_next\/static\/[^"']+\.(?:js|css)/.exec(html)?.[0];
    const assetRes = asset ? await fetch(`${base}${asset}`) : undefined;
    check("the page's static assets are served (.next/static is in the image)", assetRes?.status === 200, `asset ${asset ?? "none found"}: ${assetRes?.status}`);

    const anonymous = await fetch(`${base}/api/metrics`);
    check("GET /api/metrics refuses a scrape without METRICS_TOKEN", anonymous.status === 401, `status ${anonymous.status}`);
    const metrics = await fetch(`${base}/api/metrics`, { headers: { Authorization: `Bearer ${SECRETS.METRICS_TOKEN}` } });
    const text = await metrics.text();
    check("GET /api/metrics answers with the token, database gauge up", metrics.status === 200 && /^arc_portal_database_up 1$/m.test(text), `status ${metrics.status}`);

    const exec = (script: string) => podman(["exec", container, "sh", "-c", script]);
    const id = exec("id -u; id -g").stdout.trim().split("\n");
    check("the portal's process runs as uid 1000, gid 1000", id.join(":") === "1000:1000", `id: ${id.join(":")}`);
    check("the root filesystem is read-only; /tmp and .next/cache are writable", exec("touch /app/probe").status !== 0 && exec("touch /tmp/probe /app/.next/cache/probe").status === 0);
    check("the runtime image has no npm", exec("command -v npm || command -v npx").status !== 0);
    return result;
  } catch (err) {
    check("the image stage ran to the end", false, (err as Error).message);
    return result;
  } finally {
    podman(["rm", "-f", "--time", "5", container]);
    // The layers stay in podman's build cache for the next run; only the tag goes.
    podman(["rmi", tag]);
    await pg?.stop();
  }
}
