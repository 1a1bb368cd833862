import { randomBytes } from "node:crypto";
import YAML from "yaml";
import { arsPath, kubeRequest } from "../test/harness/kube-request";
import { expect, prisma, requestBody, test } from "./fixtures";

// An admin registers a cluster with the run's real kube-apiserver, then changes a setting of the
// cluster a live scale set runs on: the preview names that scale set and shows how it would
// change, the save is recorded in the history, and the scale set on the API server stays as it
// was until a reviewer re-applies it.

const kube = () => JSON.parse(process.env.E2E_KUBE!) as { server: string; token: string; caData: string };

function kubeconfigYaml() {
  const k = kube();
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "e2e", cluster: { server: k.server, "certificate-authority-data": Buffer.from(k.caData).toString("base64") } }],
    users: [{ name: "portal", user: { token: k.token } }],
    contexts: [{ name: "portal@e2e", context: { cluster: "e2e", user: "portal" } }],
    "current-context": "portal@e2e",
  });
}

async function waitForStatus(id: string, want: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await prisma.runnerRequest.findUniqueOrThrow({ where: { id }, select: { status: true } });
    if (row.status === want) return;
    if (row.status === "FAILED" || Date.now() > deadline) throw new Error(`request ${id} is ${row.status}, waited for ${want}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const runnerImage = (ars: { spec: { template: { spec: { containers: { name: string; image: string }[] } } } }) =>
  ars.spec.template.spec.containers.find((c) => c.name === "runner")?.image;

test("an admin registers a cluster with a kubeconfig; the kubeconfig is never shown back", async ({ users }) => {
  const admin = await users.create({ role: "ADMIN" });
  const page = await users.pageAs(admin);
  await page.goto("/requests");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Clusters" }).click();
  await expect(page.getByRole("heading", { name: "Clusters", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Register a cluster" }).first().click();

  const name = `e2e-admin-${randomBytes(3).toString("hex")}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Description", { exact: true }).fill("The e2e run's API server");
  // A kubeconfig that does not load is refused in words, and nothing is registered.
  await page.getByLabel("Kubeconfig", { exact: true }).fill("clusters: [");
  await page.getByRole("button", { name: "Register cluster" }).click();
  await expect(page.locator("#kubeconfig-error")).toContainText("kubeconfig cannot be read");
  expect(await prisma.cluster.count({ where: { name } })).toBe(0);

  const text = kubeconfigYaml();
  await page.getByLabel("Kubeconfig", { exact: true }).fill(text);
  await page.getByRole("button", { name: "Register cluster" }).click();
  await expect(page.getByTestId("cluster-name")).toHaveText(name);
  await expect(page.getByTestId("connection-kind")).toHaveText("Stored kubeconfig");
  await expect(page.getByTestId("server-host")).toHaveText(new URL(kube().server).host);
  await expect(page.getByTestId("kubeconfig-fingerprint")).toHaveText(/^SHA256:/);
  await expect(page.getByTestId("reachability")).toHaveText(/reachable · v1\.20/);
  await expect(page.getByRole("link", { name: "Import scale sets" })).toHaveAttribute("href", /\/admin\/clusters\/[^/]+\/import$/);
  expect(await page.content()).not.toContain(kube().token);

  // Registering the same name again: 409, said under the name.
  await page.goto("/admin/clusters/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Description", { exact: true }).fill("again");
  await page.getByRole("radio", { name: /In-cluster/ }).check();
  await page.getByRole("button", { name: "Register cluster" }).click();
  await expect(page.locator("#name-error")).toHaveText("This name is taken");

  await page.goto("/admin/clusters");
  const row = page.getByTestId("cluster-row").filter({ hasText: name });
  await expect(row).toContainText("Stored kubeconfig");
  await expect(row.getByTestId("reachability")).toHaveText(/reachable/);
  expect(await page.content()).not.toContain(kube().token);
  await page.screenshot({ path: ".cache/test-results/screens/admin-clusters-list.png", fullPage: true });
});

test("a settings change previews the diff per live scale set, is audited, and reaches the cluster only on re-apply", async ({ users }) => {
  test.setTimeout(180_000);
  const requester = await users.create({ team: "admin-clusters-team" });
  const reviewer = await users.create({ role: "REVIEWER" });
  const admin = await users.create({ role: "ADMIN" });
  const team = await users.pageAs(requester);
  const review = await users.pageAs(reviewer);
  const page = await users.pageAs(admin);

  // A live (READY) scale set on the default cluster, provisioned on the real API server.
  const label = `adm-${randomBytes(3).toString("hex")}`;
  const namespace = `arc-${label}`;
  const created = await team.request.post("/api/requests", { data: requestBody({ team: "admin-clusters-team", label, namespace }) });
  expect(created.status()).toBe(201);
  const { id: requestId } = await created.json();
  expect((await review.request.post(`/api/requests/${requestId}/actions`, { data: { action: "approve" } })).status()).toBe(200);
  await waitForStatus(requestId, "READY");
  const { clusterId } = await prisma.runnerRequest.findUniqueOrThrow({ where: { id: requestId }, select: { clusterId: true } });
  const liveBefore = (await kubeRequest(kube(), "GET", arsPath(namespace, label))).body;
  const oldImage = runnerImage(liveBefore);
  expect(oldImage).toBeTruthy();
  const newImage = `ghcr.io/e2e/runner:${randomBytes(3).toString("hex")}`;

  await page.goto(`/admin/clusters/${clusterId}`);
  const imageField = page.getByLabel("Default runner image", { exact: true });
  await expect(imageField).toHaveValue(oldImage!);
  // Live validation with the shared schema, before anything is sent.
  await imageField.fill("Not An Image!");
  await imageField.blur();
  await expect(page.locator("#setting-defaultRunnerImage-error")).toContainText("container image reference");
  await imageField.fill(newImage);
  await page.getByRole("button", { name: "Preview changes" }).click();

  const preview = page.getByTestId("settings-preview");
  await expect(preview.getByTestId("preview-fields")).toContainText("Default runner image");
  await expect(preview.getByTestId("preview-fields")).toContainText(newImage);
  const diff = preview.getByTestId("scale-set-diff").filter({ hasText: label });
  await expect(diff).toContainText(`AutoscalingRunnerSet ${label}`);
  await expect(diff).toContainText("spec.template.spec.containers[runner].image");
  await expect(diff).toContainText(newImage);
  await page.screenshot({ path: ".cache/test-results/screens/admin-cluster-preview.png", fullPage: true });

  await preview.getByRole("button", { name: "Save settings" }).click();
  const saved = page.getByTestId("settings-saved");
  await expect(saved).toContainText("Nothing has changed on the cluster yet");
  await expect(saved.getByTestId("pending-reapply").getByRole("link", { name: new RegExp(label) })).toHaveAttribute("href", `/requests/${requestId}`);
  const latest = page.getByTestId("settings-history-entry").first();
  await expect(latest).toContainText(admin.login);
  await expect(latest).toContainText("Default runner image");
  await expect(latest).toContainText(newImage);

  // Saved, yet the scale set on the API server is exactly as it was.
  const liveAfterSave = (await kubeRequest(kube(), "GET", arsPath(namespace, label))).body;
  expect(liveAfterSave.metadata.resourceVersion).toBe(liveBefore.metadata.resourceVersion);
  expect(runnerImage(liveAfterSave)).toBe(oldImage);

  // A reviewer re-applies: now the new image reaches the cluster.
  expect((await review.request.post(`/api/requests/${requestId}/actions`, { data: { action: "reapply" } })).status()).toBe(200);
  await waitForStatus(requestId, "READY");
  expect(runnerImage((await kubeRequest(kube(), "GET", arsPath(namespace, label))).body)).toBe(newImage);

  // Put the default cluster's image back for the specs that follow (an audited change too).
  const current = await (await page.request.get(`/api/admin/clusters/${clusterId}/settings`)).json();
  const restored = await page.request.put(`/api/admin/clusters/${clusterId}/settings`, {
    data: { settings: { ...current.settings, defaultRunnerImage: oldImage }, version: current.version },
  });
  expect(restored.status()).toBe(200);
});

test("an admin adds a second GPU class and team ceilings; the preview and the saved settings have them", async ({ users }) => {
  const admin = await users.create({ role: "ADMIN" });
  const page = await users.pageAs(admin);
  const cluster = await prisma.cluster.create({ data: { name: `classes-admin-${randomBytes(3).toString("hex")}`, displayName: "" } });
  try {
    await page.goto(`/admin/clusters/${cluster.id}`);
    await expect(page.getByRole("group", { name: "GPU class 1" }).getByLabel("Class name")).toHaveValue("default");
    await page.getByRole("button", { name: "+ Add GPU class" }).click();
    const second = page.getByRole("group", { name: "GPU class 2" });
    await second.getByLabel("Class name").fill("mi250");
    await second.getByLabel("Class description").fill("MI250 nodes");
    await second.getByRole("button", { name: "+ Add node label" }).click();
    await second.getByLabel("Node label 1").fill("pool");
    await second.getByLabel("Value 1").fill("mi250");
    await second.getByRole("button", { name: "+ Add toleration" }).click();
    await second.getByLabel("Taint key 1").fill("ci");
    await second.getByLabel("Operator 1").selectOption("Exists");
    await second.getByLabel("Effect 1").selectOption("NoSchedule");
    // A duplicate name is named at once, on the class's field.
    await page.getByRole("group", { name: "GPU class 1" }).getByLabel("Class name").fill("mi250");
    await page.getByRole("button", { name: "Preview changes" }).click();
    await expect(page.locator("#setting-gpu-class-1-name-error")).toContainText('"mi250" is used twice');
    await page.getByRole("group", { name: "GPU class 1" }).getByLabel("Class name").fill("mi300");
    await page.getByLabel("Default GPU class").selectOption("mi250");
    await page.getByLabel("Most GPUs per team").fill("16");
    await page.getByRole("button", { name: "Preview changes" }).click();

    const fields = page.getByTestId("settings-preview").getByTestId("preview-fields");
    await expect(fields).toContainText('GPU class "mi250"');
    await expect(fields).toContainText('GPU class "mi300"');
    await expect(fields).toContainText("Most GPUs per team");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByTestId("settings-saved")).toContainText("Saved");
    const saved = await prisma.cluster.findUniqueOrThrow({ where: { id: cluster.id } });
    expect(saved.settings).toMatchObject({
      gpuClasses: [
        { name: "mi300", nodeSelector: {}, tolerations: [] },
        { name: "mi250", description: "MI250 nodes", nodeSelector: { pool: "mi250" }, tolerations: [{ key: "ci", operator: "Exists", effect: "NoSchedule" }] },
      ],
      defaultGpuClass: "mi250",
      teamMaxGpus: 16,
      teamMaxRunners: null,
    });
  } finally {
    // Its settings history is append-only, so the cluster stays (as the registered ones above do).
  }
});
