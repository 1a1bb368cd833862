import path from "node:path";
import { createNamespace, helmInstall, REFERENCE_DIR, referenceText, referenceValues } from "../test/clusters/helm-install";
import { arsPath, kubeRequest } from "../test/harness/kube-request";
import { appPem, expect, prisma, test } from "./fixtures";

// An admin imports what was installed without the portal: a scale set helm put on the e2e
// run's real kube-apiserver (field manager "helm"), and a production values file. The portal's
// default cluster is the run's API server (KUBECONFIG), so its id is the import's.

const kube = () => JSON.parse(process.env.E2E_KUBE!) as { server: string; token: string; caData: string };
const ROCM = "linux-mi300-1gpu-ossci-rocm";
const NOD = "linux-mi300-1gpu-ossci-nod-ai";

async function defaultClusterId() {
  const name = process.env.DEFAULT_CLUSTER_NAME ?? "ossci";
  return (await prisma.cluster.upsert({ where: { name }, update: {}, create: { name, displayName: name } })).id;
}

test("an admin imports a scale set helm installed, as READY, and the cluster does not change", async ({ users }) => {
  test.setTimeout(90_000);
  const clusterId = await defaultClusterId();
  const stamp = Date.now().toString(36);
  const namespace = `arc-hand-${stamp}`;
  const release = `rocm-hand-${stamp}`;
  await createNamespace(kube(), namespace);
  await helmInstall(kube(), release, namespace, referenceValues(`${ROCM}.yaml`));
  const before = (await kubeRequest(kube(), "GET", arsPath(namespace, release))).body;

  const admin = await users.pageAs(await users.create({ role: "ADMIN" }));
  await admin.goto(`/admin/clusters/${clusterId}/import`);
  await admin.getByRole("link", { name: /From the cluster/ }).click();
  const row = admin.getByTestId(`live-${namespace}-${release}`);
  await expect(row).toContainText("helm");
  await expect(row).toContainText("https://github.com/ROCm");
  await expect(row).toContainText("ghcr.io/saienduri/ghascale-rocm-dev:main");
  await expect(row).toContainText("no limit");
  await row.getByRole("button", { name: `Import ${namespace}/${release}` }).click();

  await admin.getByLabel("Owning team").fill(`Hand team ${stamp}`);
  await admin.getByLabel("Contact").fill("@rocm-lead");
  await admin.getByRole("button", { name: "Show what will be stored" }).click();
  const preview = admin.getByTestId("import-preview");
  await expect(preview.getByTestId("field-memory")).toHaveText("75000Mi");
  await expect(preview.getByTestId("field-docker")).toContainText("yes");
  const kept = preview.getByRole("list", { name: "Cannot be represented by the form" });
  await expect(kept).toContainText("githubConfigSecret");
  await expect(kept).toContainText("pre-defined Secret");
  await expect(kept).toContainText("no upper bound");
  await admin.getByRole("button", { name: "Confirm import" }).click();
  await expect(admin.getByRole("status")).toContainText("READY. Nothing in the cluster changed.");
  await admin.getByRole("link", { name: /request #\d+/ }).click();

  // The request page: READY, with the overlay the reviewer needs to see.
  await expect(admin.getByTestId("status")).toHaveText("ready");
  await expect(admin.getByTestId("advanced-overlay")).toContainText("Advanced (imported) pod template overlay");
  await expect(admin.getByTestId("advanced-overlay")).toContainText("pre-defined Secret");
  const request = await prisma.runnerRequest.findFirstOrThrow({ where: { label: release }, include: { team: true } });
  expect(request).toMatchObject({ status: "READY", namespace, privateKeyCiphertext: null });
  expect(request.team.name).toBe(`Hand team ${stamp}`);

  const after = (await kubeRequest(kube(), "GET", arsPath(namespace, release))).body;
  expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  expect(after.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual(["helm"]);

  // It is managed now: the list no longer offers it.
  await admin.goto(`/admin/clusters/${clusterId}/import/live`);
  await expect(admin.getByText("Everything is managed").or(admin.getByRole("table", { name: "Scale sets the portal does not manage" }))).toBeVisible();
  await expect(admin.getByTestId(`live-${namespace}-${release}`)).toHaveCount(0);
});

test("an admin uploads the nod-ai values file, sees what the form cannot hold, and submits it for review", async ({ users }) => {
  test.setTimeout(90_000);
  const clusterId = await defaultClusterId();
  const stamp = Date.now().toString(36);
  const label = `nod-file-${stamp}`;
  const admin = await users.pageAs(await users.create({ role: "ADMIN" }));
  await admin.goto(`/admin/clusters/${clusterId}/import/values`);

  // A file too large is refused at the field: the error is the field's, and no file name is taken from it.
  const upload = admin.getByLabel("Upload a values file");
  await upload.setInputFiles({ name: "huge-values.yaml", mimeType: "text/yaml", buffer: Buffer.alloc(65 * 1024, "#") });
  await expect(upload).toHaveAccessibleDescription(/huge-values\.yaml is larger than 64 KiB/);
  await expect(upload).toHaveAttribute("aria-invalid", "true");
  await expect(admin.getByRole("alert").filter({ hasText: "larger than 64 KiB" })).toBeVisible();
  await expect(admin.getByText(/^Read /)).toHaveCount(0);
  await expect(upload).toHaveValue("");

  await upload.setInputFiles(path.join(REFERENCE_DIR, `${NOD}.yaml`));
  await expect(upload).not.toHaveAttribute("aria-invalid", "true");
  await expect(admin.getByText(`Read ${NOD}.yaml.`)).toBeVisible();
  await expect(admin.getByLabel("Values file", { exact: true })).toHaveValue(/githubConfigUrl: https:\/\/github.com\/nod-ai/);
  // Another release of the file, into a namespace of its own: it does not run yet.
  await admin.getByLabel("Runner label").fill(label);
  await admin.getByLabel("Namespace").fill(`arc-${label}`);
  await admin.getByRole("button", { name: "Map the file" }).click();
  await expect(admin.getByTestId("import-outcome")).toContainText("does not run");
  const kept = admin.getByRole("list", { name: "Cannot be represented by the form" });
  await expect(kept).toContainText('extra hostPath volume "k8s-mount"');
  await expect(kept).toContainText('extra hostPath volume "k8s-cache"');
  await expect(kept).toContainText("template.spec.tolerations");
  await expect(admin.getByTestId("import-secret")).toContainText("pre-defined-secret");
  // The owner is still missing: the import says so and cannot be confirmed.
  await expect(admin.getByRole("alert").filter({ hasText: "Before importing" })).toContainText("team");
  await expect(admin.getByRole("button", { name: "Import and submit for review" })).toBeDisabled();

  await admin.getByLabel("Owning team").fill(`SHARK ${stamp}`);
  await admin.getByLabel("Contact").fill("@shark-lead");
  await admin.getByRole("button", { name: "Map the file" }).click();
  await expect(admin.getByRole("alert").filter({ hasText: "Before importing" })).toHaveCount(0);
  await admin.getByRole("button", { name: "Import and submit for review" }).click();
  await expect(admin.getByRole("status")).toContainText("SUBMITTED for review");

  // A reviewer deciding on it sees the overlay.
  const request = await prisma.runnerRequest.findFirstOrThrow({ where: { label } });
  expect(request.status).toBe("SUBMITTED");
  const reviewer = await users.pageAs(await users.create({ role: "REVIEWER" }));
  await reviewer.goto(`/requests/${request.id}`);
  await expect(reviewer.getByTestId("advanced-overlay")).toContainText('extra hostPath volume "k8s-mount"');
  await reviewer.screenshot({ path: ".cache/test-results/screens/imported-request.png", fullPage: true });
});

test("a values file with an inline App key: sealed, never sent back; bad files are refused with a reason", async ({ users }) => {
  const clusterId = await defaultClusterId();
  const admin = await users.pageAs(await users.create({ role: "ADMIN" }));
  const pem = appPem();
  const inline = referenceText(`${NOD}.yaml`).replace(
    "githubConfigSecret: pre-defined-secret",
    `githubConfigSecret:\n  github_app_id: "1"\n  github_app_installation_id: "2"\n  github_app_private_key: |\n${pem.trim().split("\n").map((l) => `    ${l}`).join("\n")}\n`,
  );
  const label = `inline-${Date.now().toString(36)}`;
  const base = `/api/admin/clusters/${clusterId}/import/values`;
  const body = { file: inline, label, namespace: `arc-${label}`, team: "Inline e2e", contact: "@inline" };
  const preview = await admin.request.post(`${base}/preview`, { data: body });
  expect(preview.status()).toBe(200);
  const text = await preview.text();
  expect(text).not.toContain("PRIVATE KEY");
  expect(JSON.parse(text).secret).toMatchObject({ kind: "inline-app", appId: "1", installationId: "2" });
  const created = await admin.request.post(base, { data: body });
  expect(created.status()).toBe(201);
  expect(await created.text()).not.toContain("PRIVATE KEY");
  const row = await prisma.runnerRequest.findUniqueOrThrow({ where: { id: (await created.json()).id } });
  expect(row.privateKeyCiphertext).not.toBeNull();

  for (const [file, status] of [
    ["template: [1\n", 422],
    ["replicaCount: 1\n", 422],
    ["- a\n", 422],
  ] as const) {
    const res = await admin.request.post(base, { data: { file, team: "T", contact: "@t" } });
    expect(res.status()).toBe(status);
    expect(typeof (await res.json()).error).toBe("string");
  }
  const unknown = await admin.request.get(`/api/admin/clusters/no-such-cluster/import/live`);
  expect(unknown.status()).toBe(404);
});
