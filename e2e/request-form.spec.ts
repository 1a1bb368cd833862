import { appPem, expect, INSTALLATION, PORTAL_APP, prisma, requestBody, test } from "./fixtures";


test("a requester fills the form, watches the preview, submits, and finds the request under My requests", async ({ page, context, users }) => {
  const alice = await users.create({ role: "REQUESTER", team: "rocm" });
  await users.signIn(context, alice);
  await page.goto("/requests");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New request" }).click();
  await expect(page.getByRole("heading", { name: "Ask for GPU runners" })).toBeVisible();

  await page.getByLabel("Team / project name").fill("rocm");
  await page.getByLabel("Contact").fill("lead@example.com");
  await page.getByLabel("GitHub organisation or repository URL").fill("https://github.com/ROCm");
  // A bad answer is explained while typing, next to the field.
  await page.getByLabel("Runner label").fill("Linux_MI300");
  await page.getByLabel("Namespace").click();
  await expect(page.getByText(/Runner label must/).first()).toBeVisible();
  await page.getByLabel("Runner label").fill("linux-mi300-gpu-1");
  await page.getByLabel("Namespace").fill("arc-rocm");
  await page.getByLabel("Memory per runner").fill("64Gi");
  await page.getByLabel("CPU cores per runner").fill("8");
  await page.getByLabel("GPUs per runner").fill("1");
  await page.getByLabel("Do your workflows run docker?").selectOption("no");

  // The sizing helper suggests min and max from the expected load.
  await page.getByLabel("Typical job duration (minutes)").fill("30");
  await page.getByLabel("Jobs per hour at busy times").fill("6");
  await expect(page.getByTestId("sizing-suggestion")).toContainText("3.0");
  await page.getByRole("button", { name: "Use these" }).click();
  await expect(page.getByLabel("Maximum runners")).not.toHaveValue("");

  await expect(page.getByTestId("runs-on")).toContainText("runs-on: linux-mi300-gpu-1");
  const values = page.getByTestId("preview-values");
  await expect(values).toContainText("runnerScaleSetName: linux-mi300-gpu-1");
  await expect(values).not.toContainText("dind");
  // Docker = yes switches the preview to the dind layout.
  await page.getByLabel("Do your workflows run docker?").selectOption("yes");
  await expect(values).toContainText("dind");
  await page.getByLabel("Maximum runners").fill("3");
  await expect(values).toContainText("maxRunners: 3");

  await page.getByLabel("App ID or Client ID").fill(String(PORTAL_APP.id));
  // The credential check explains a wrong installation in plain words, then passes once fixed.
  await page.getByLabel("Installation ID").fill(String(INSTALLATION["e2e-org"]));
  await page.getByLabel("Private key", { exact: true }).fill(appPem());
  await page.getByRole("button", { name: "Check with GitHub" }).click();
  const check = page.getByTestId("github-check");
  await expect(check).toContainText("Installation covers the URL");
  await expect(check.getByLabel("failed")).toHaveCount(1);
  await expect(check).toContainText("ROCm");
  await page.getByLabel("Installation ID").fill(String(INSTALLATION.ROCm));
  await page.getByRole("button", { name: "Check with GitHub" }).click();
  await expect(check.getByLabel("passed")).toHaveCount(4);
  await expect(check.getByLabel("failed")).toHaveCount(0);
  await page.getByLabel("Private key", { exact: true }).fill("-----BEGIN RSA PRIVATE KEY-----\nnot a key\n");
  await page.getByLabel("Installation ID").click();
  await expect(page.getByText(/Private key/).filter({ hasText: /must|could not|END/ }).first()).toBeVisible();
  await page.getByLabel("Private key", { exact: true }).fill(appPem());

  await page.screenshot({ path: ".cache/test-results/screens/request-form.png", fullPage: true });
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page).toHaveURL(/\/requests\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { name: "linux-mi300-gpu-1" })).toBeVisible();
  await expect(page.getByTestId("status")).toHaveText("submitted");
  await expect(page.getByTestId("key-fingerprint")).toHaveText(/^SHA256:/);
  await expect(page.locator("body")).not.toContainText("BEGIN RSA PRIVATE KEY");
  await expect(page.getByTestId("timeline-event")).toContainText("Submitted for review");
  await page.screenshot({ path: ".cache/test-results/screens/request-page.png", fullPage: true });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My requests" }).click();
  const row = page.getByRole("row", { name: /linux-mi300-gpu-1/ });
  await expect(row).toContainText("submitted");
  await expect(row).toContainText("1 × 3");

  // Stored encrypted, with the key's fingerprint; the answers do not hold the key.
  const stored = await prisma.runnerRequest.findFirstOrThrow({ where: { label: "linux-mi300-gpu-1" } });
  expect(stored.privateKeyCiphertext).toMatch(/^v1:/);
  expect(JSON.stringify(stored)).not.toContain("PRIVATE KEY");
});

test("another team's request is not found, and its label cannot be taken twice", async ({ page, context, users }) => {
  const owner = await users.create({ team: "team-a" });
  const other = await users.create({ team: "team-b" });
  await users.signIn(context, owner);
  const body = requestBody({ team: "team-a", label: "team-a-gpu", memory: "32Gi", cpu: "4" });
  const created = await page.request.post("/api/requests", { data: body });
  expect(created.status()).toBe(201);
  const { id } = await created.json();

  const again = await page.request.post("/api/requests", { data: body });
  expect(again.status()).toBe(409);
  expect((await again.json()).fieldErrors.label[0]).toMatch(/already taken/);

  await context.clearCookies();
  await users.signIn(context, other);
  const res = await page.goto(`/requests/${id}`);
  expect(res?.status()).toBe(404);
  const api = await page.request.get(`/api/requests/${id}`);
  expect(api.status()).toBe(404);
  const download = await page.request.get(`/api/requests/${id}/values`);
  expect(download.status()).toBe(404);
});

test("submitting says so at once, and neither a second click nor Enter files twice", async ({ page, context, users }) => {
  const lead = await users.create({ role: "REQUESTER", team: "quick" });
  await users.signIn(context, lead);
  await page.goto("/requests/new");
  await page.getByLabel("Team / project name").fill("quick");
  await page.getByLabel("Contact").fill("lead@example.com");
  await page.getByLabel("GitHub organisation or repository URL").fill("https://github.com/ROCm");
  await page.getByLabel("Runner label").fill("quick-submit-1");
  await page.getByLabel("Namespace").fill("arc-quick");
  await page.getByLabel("Memory per runner").fill("8Gi");
  await page.getByLabel("CPU cores per runner").fill("2");
  await page.getByLabel("GPUs per runner").fill("1");
  await page.getByLabel("Do your workflows run docker?").selectOption("no");
  await page.getByLabel("Minimum runners").fill("0");
  await page.getByLabel("Maximum runners").fill("1");
  await page.getByLabel("App ID or Client ID").fill(String(PORTAL_APP.id));
  await page.getByLabel("Installation ID").fill(String(INSTALLATION.ROCm));
  await page.getByLabel("Private key", { exact: true }).fill(appPem());

  // Hold the way to the request page, as a slow network would.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/requests\/[a-z0-9]{20,}(\?.*)?$/, async (route) => {
    await held;
    await route.continue();
  });
  let posts = 0;
  page.on("request", (r) => void (r.method() === "POST" && new URL(r.url()).pathname === "/api/requests" && posts++));

  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Submitted for review as request #\d+\. Opening it…/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Submitted" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save draft" })).toBeDisabled();
  await page.getByLabel("Maximum runners").press("Enter");
  release();
  await expect(page.getByRole("heading", { name: "quick-submit-1" })).toBeVisible();
  expect(posts).toBe(1);
  expect(await prisma.runnerRequest.count({ where: { label: "quick-submit-1" } })).toBe(1);
});
