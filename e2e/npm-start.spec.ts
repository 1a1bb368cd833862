import { spawn, type ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { freePort } from "../scripts/db/embedded-postgres";
import { newAppKey } from "../test/harness/github-world";
import { arsPath, clusterFromKubeconfig, kubeRequest } from "../test/harness/kube-request";

// A newcomer's walk on `npm start` alone (the README's first command, with nothing configured):
// its own embedded PostgreSQL, demo sign-in and its own local cluster, not the suite's. A
// requester files a request in the browser, a reviewer approves it, and it reaches READY with the
// scale set, its Secret and RBAC really in the local cluster.

test.describe.configure({ timeout: 240_000 });

let portal: ChildProcess | undefined;
let dataDir: string;
let url: string;
let log = "";

test.beforeAll(async () => {
  const port = await freePort();
  // Inside the checkout, like .data/: as root, PostgreSQL runs as `postgres`, who cannot enter a private mkdtemp folder.
  dataDir = path.resolve(`.cache/test-results/npm-start-${port}`);
  url = `http://localhost:${port}`;
  const root = path.resolve(import.meta.dirname, "..");
  // Only what a newcomer's shell has: none of this suite's database, cluster or GitHub settings.
  const child = spawn(process.execPath, [path.join(root, "scripts/bootstrap.mjs"), "start"], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", PORTAL_DATA_DIR: dataDir, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  portal = child;
  const collect = (b: Buffer) => (log += b.toString());
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  await expect.poll(() => log, { timeout: 180_000, intervals: [500] }).toMatch(/\[start\] ready in .*listening on 127\.0\.0\.1/);
  // The build step only checks its stamp here: the suite built these very sources.
  expect(log).toMatch(/\[start\] production build is current/);
});

test.afterAll(async () => {
  if (portal && portal.exitCode === null) {
    const exited = new Promise((r) => portal!.once("exit", r));
    portal.kill("SIGINT");
    await exited;
  }
  // Shut down in order: the portal's workers before PostgreSQL, so no job queue error on the way out.
  expect(log).not.toMatch(/job queue error|terminating connection/);
  await rm(dataDir, { recursive: true, force: true });
});

async function signInAs(page: Page, who: RegExp) {
  await page.goto(`${url}/signin`);
  await page.getByRole("radio", { name: who }).check();
  await page.getByRole("button", { name: "Sign in as demo user" }).click();
  await expect(page.getByTestId("signed-in-user")).toBeVisible();
}

test("submit → approve → READY on npm start's own local cluster, in the browser only", async ({ browser }) => {
  const requester = await (await browser.newContext()).newPage();
  await signInAs(requester, /Alice/);
  // The banner says what this cluster is; it is ready by now or shows its progress until it is.
  await expect(requester.getByRole("status", { name: /^Local cluster/ })).toBeVisible();
  await expect(requester.getByRole("status", { name: "Local cluster" })).toContainText("without the ARC controller", { timeout: 60_000 });

  await requester.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New request" }).click();
  await requester.getByLabel("Team / project name").fill("rocm");
  await requester.getByLabel("Contact").fill("alice@example.com");
  await requester.getByLabel("GitHub organisation or repository URL").fill("https://github.com/ROCm");
  await requester.getByLabel("Runner label").fill("linux-mi300-newcomer");
  await requester.getByLabel("Namespace").fill("arc-newcomer");
  await requester.getByLabel("Memory per runner").fill("16Gi");
  await requester.getByLabel("CPU cores per runner").fill("4");
  await requester.getByLabel("GPUs per runner").fill("1");
  await requester.getByLabel("Do your workflows run docker?").selectOption("no");
  await requester.getByLabel("Minimum runners").fill("0");
  await requester.getByLabel("Maximum runners").fill("2");
  // The team's own GitHub App. github.com cannot be reached from here: the check only warns.
  await requester.getByLabel("App ID or Client ID").fill("123456");
  await requester.getByLabel("Installation ID").fill("7890123");
  await requester.getByLabel("Private key", { exact: true }).fill(newAppKey().privateKeyPem);
  await requester.getByRole("button", { name: "Submit for review" }).click();
  await expect(requester.getByRole("heading", { name: "linux-mi300-newcomer" })).toBeVisible({ timeout: 30_000 });
  await expect(requester.getByTestId("status")).toHaveText("submitted");
  const requestUrl = requester.url();

  const reviewer = await (await browser.newContext()).newPage();
  await signInAs(reviewer, /Bob/);
  await reviewer.goto(`${url}/review`);
  await reviewer.getByRole("row", { name: /linux-mi300-newcomer/ }).getByRole("link", { name: "linux-mi300-newcomer" }).click();
  // The local cluster's two simulated GPU nodes have room: a plain Approve, no "approve anyway".
  await expect(reviewer.getByRole("region", { name: "Capacity" })).toContainText("Fits: even with every runner busy", { timeout: 30_000 });
  await reviewer.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(reviewer.getByRole("group", { name: /Approve anyway\?/ })).toHaveCount(0);
  const approved = Date.now();
  await expect(reviewer.getByTestId("status")).toHaveText("ready", { timeout: 60_000 });
  console.log(`[npm-start] approve → READY in ${((Date.now() - approved) / 1000).toFixed(1)} s`);

  // What a team lead gets: the runs-on label, and live status from the cluster.
  await requester.goto(requestUrl);
  await expect(requester.getByTestId("status")).toHaveText("ready");
  await expect(requester.getByText("runs-on: linux-mi300-newcomer").first()).toBeVisible();

  // The objects are really in the local cluster.
  const cluster = clusterFromKubeconfig(path.join(dataDir, "local-cluster/kubeconfig.yaml"));
  const ars = await kubeRequest(cluster, "GET", arsPath("arc-newcomer", "linux-mi300-newcomer"));
  expect(ars.status).toBe(200);
  expect(ars.body.spec).toMatchObject({ runnerScaleSetName: "linux-mi300-newcomer", minRunners: 0, maxRunners: 2 });
  expect((await kubeRequest(cluster, "GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/arc-newcomer/roles/linux-mi300-newcomer-gha-rs-manager")).status).toBe(200);
  const secrets = await kubeRequest(cluster, "GET", "/api/v1/namespaces/arc-newcomer/secrets");
  expect(secrets.body.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toContain("linux-mi300-newcomer-gha-rs-github-secret");
});
