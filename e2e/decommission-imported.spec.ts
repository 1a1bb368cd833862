import { expect, prisma, scaleSetAnswers, test } from "./fixtures";

// Decommissioning an imported scale set nobody took over yet deletes what helm installed: the
// team asking for it, and the reviewer approving it, are told so, with what helm leaves behind.
// A request the portal created gets no such warning.

async function readyRequest(team: string, ownerId: string, adoptFrom: string | null) {
  const label = `${adoptFrom ? "helm" : "own"}-${Date.now() % 1_000_000}`;
  const namespace = `arc-${label}`;
  const cluster = await prisma.cluster.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
  const teamRow = await prisma.team.findUniqueOrThrow({ where: { slug: team } });
  const spec = { ...scaleSetAnswers({ team, label }), githubApp: { appId: null, installationId: null, keyFingerprint: null } };
  return prisma.runnerRequest.create({
    data: {
      status: "READY",
      teamId: teamRow.id,
      requesterId: ownerId,
      clusterId: cluster.id,
      label,
      namespace,
      spec,
      approvedSpec: spec,
      approvedAt: new Date(),
      submittedAt: new Date(),
      adoptFrom,
      events: { create: { actorId: ownerId, type: adoptFrom ? "import" : "provisioned", toStatus: "READY", message: "Set up for the test." } },
      labelClaim: { create: { clusterId: cluster.id, label } },
    },
  });
}

test("decommissioning an imported scale set before take-over warns that helm's objects go and its release records stay", async ({ users }) => {
  const owner = await users.create({ team: "decom-import-team" });
  const reviewer = await users.create({ role: "REVIEWER" });
  const imported = await readyRequest("decom-import-team", owner.id, "helm");
  const own = await readyRequest("decom-import-team", owner.id, null);

  const page = await users.pageAs(owner);
  await page.goto(`/requests/${own.id}`);
  await expect(page.getByRole("button", { name: "Ask to decommission" })).toBeVisible();
  await expect(page.getByTestId("decommission-helm-warning")).toHaveCount(0);

  await page.goto(`/requests/${imported.id}`);
  const ask = page.getByRole("button", { name: "Ask to decommission" });
  await expect(ask).toHaveAccessibleDescription(/installed by Helm \(field managers: helm\), not by the portal/);
  const warning = page.getByTestId("decommission-helm-warning");
  await expect(warning).toContainText("Decommissioning deletes them from the cluster");
  await expect(warning).toContainText("The Helm release records are left behind");
  await expect(warning).toContainText(`kubectl delete secret -n ${imported.namespace} -l owner=helm,name=${imported.label}`);
  await page.getByLabel("Why remove these runners? (needed to ask for decommissioning)").fill("moving to another cluster");
  await ask.click();
  await expect(page.getByTestId("status")).toHaveText(/submitted/i);
  await expect(page.getByRole("alert").filter({ hasText: "The Helm release records are left behind" })).toBeVisible();
  await expect(page.getByTestId("timeline-event").filter({ hasText: "installed by Helm (field managers: helm)" })).toHaveCount(1);

  // The reviewer deciding on the removal sees it next to Approve; for the portal's own request, not.
  await page.goto(`/requests/${own.id}`);
  await page.getByLabel("Why remove these runners? (needed to ask for decommissioning)").fill("not needed");
  await page.getByRole("button", { name: "Ask to decommission" }).click();
  await expect(page.getByTestId("status")).toHaveText(/submitted/i);
  const rp = await users.pageAs(reviewer);
  await rp.goto(`/requests/${imported.id}`);
  await expect(rp.getByRole("button", { name: "Approve" })).toHaveAccessibleDescription(/Decommissioning deletes them from the cluster/);
  await rp.goto(`/requests/${own.id}`);
  await expect(rp.getByRole("button", { name: "Approve" })).toBeVisible();
  await expect(rp.getByTestId("decommission-helm-warning")).toHaveCount(0);
});
