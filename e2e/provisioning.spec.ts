import { arsPath, kubeRequest } from "../test/harness/kube-request";
import { expect, prisma, requestBody, test } from "./fixtures";

const kube = () => JSON.parse(process.env.E2E_KUBE!) as { server: string; token: string; caData: string };

test("from submit to READY on a real API server, with live runner counts", async ({ users }) => {
  test.setTimeout(120_000);
  const requester = await users.create({ team: "prov-team" });
  const reviewer = await users.create({ role: "REVIEWER" });
  const team = await users.pageAs(requester);
  const review = await users.pageAs(reviewer);

  const label = `prov-${Date.now() % 100000}`;
  const namespace = `arc-${label}`;
  const created = await team.request.post("/api/requests", {
    data: requestBody({ team: "prov-team", label, namespace, memory: "16Gi", cpu: "4", minRunners: 1, maxRunners: 3, docker: true }),
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();

  // The reviewer sees the capacity check, approves, and watches provisioning finish without reloading.
  await review.goto(`/requests/${id}`);
  await expect(review.getByTestId("capacity-check")).toBeVisible();
  await expect(review.getByTestId("capacity-gpu")).toContainText("3");
  await review.getByRole("button", { name: "Approve" }).click();
  await expect(review.getByTestId("status")).toHaveText("ready", { timeout: 60_000 });
  await expect(review.getByTestId("timeline-event").filter({ hasText: "Private key handed to the cluster" })).toHaveCount(1);

  // Everything is in the cluster, and the portal no longer holds the key.
  const ars = await kubeRequest(kube(), "GET", arsPath(namespace, label));
  expect(ars.status).toBe(200);
  expect(ars.body.metadata.labels["app.kubernetes.io/version"]).toBe("0.14.2");
  expect(ars.body.spec.maxRunners).toBe(3);
  const row = await prisma.runnerRequest.findUniqueOrThrow({ where: { id } });
  expect(row.privateKeyCiphertext).toBeNull();

  // The ARC controller reports runners; the team's page shows them live.
  await team.goto(`/requests/${id}`);
  await expect(team.getByTestId("status")).toHaveText("ready");
  const patched = await kubeRequest(
    kube(),
    "PATCH",
    `${arsPath(namespace, label)}/status`,
    { status: { currentRunners: 3, pendingEphemeralRunners: 1, runningEphemeralRunners: 2, failedEphemeralRunners: 0, phase: "Running" } },
    "application/merge-patch+json",
  );
  expect(patched.status).toBe(200);
  await expect(team.getByTestId("runner-phase")).toHaveText(/Running/, { timeout: 15_000 });
  await expect(team.getByTestId("runners-current")).toHaveText("3");
  await expect(team.getByTestId("runners-running")).toHaveText("2");
  await expect(team.getByTestId("runners-pending")).toHaveText("1");
  // GitHub's view next to the cluster's: the runners registered under the label.
  const seeded = await fetch(`${process.env.E2E_GITHUB_URL}/_fake/seed`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ runners: [{ target: "e2e-org", name: `${label}-abcde-runner-1`, status: "online", busy: true, labels: [label] }] }),
  });
  expect(seeded.ok).toBe(true);
  await team.getByTestId("github-runners").getByRole("button", { name: "refresh" }).click();
  await expect(team.getByTestId("github-runners")).toContainText(`${label}-abcde-runner-1`);
  await expect(team.getByTestId("github-runners")).toContainText("online");
  await expect(team.getByTestId("github-runners")).toContainText("busy");
  await team.screenshot({ path: ".cache/test-results/screens/request-ready.png", fullPage: true });
});
