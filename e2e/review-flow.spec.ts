import { expect, prisma, requestBody, test } from "./fixtures";


test("submit → changes requested → edit and resubmit → approved, with both timelines showing each step", async ({ users }) => {
  const requester = await users.create({ team: "vision" });
  const reviewer = await users.create({ role: "REVIEWER" });
  const team = await users.pageAs(requester);
  const review = await users.pageAs(reviewer);

  // The requester submits.
  const created = await team.request.post("/api/requests", {
    data: requestBody({ team: "vision", label: "vision-mi300", namespace: "arc-vision", githubConfigUrl: "https://github.com/e2e-org/models", memory: "128Gi", cpu: "16", gpus: 2, maxRunners: 4, docker: true }),
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();

  // The reviewer finds it in the queue (with its GPU footprint) and asks for changes.
  await review.goto("/review");
  const pending = await prisma.runnerRequest.count({ where: { status: "SUBMITTED" } });
  await expect(review.getByLabel(`${pending} waiting for review`)).toBeVisible();
  const row = review.getByRole("row", { name: /vision-mi300/ });
  await expect(row).toContainText("2 × 4 = 8");
  await row.getByRole("link", { name: "vision-mi300" }).click();
  await review.getByLabel("Reason or comment for the team").fill("Four runners with two GPUs each is more than the cluster can spare; use at most 2.");
  await review.getByRole("button", { name: "Ask for changes" }).click();
  await expect(review.getByTestId("status")).toHaveText("changes requested");

  // The requester sees the badge, the comment, edits and resubmits.
  await team.goto("/requests");
  await expect(team.getByLabel("1 requests changed")).toBeVisible();
  await team.getByRole("link", { name: "vision-mi300" }).click();
  await expect(team.getByTestId("status")).toHaveText("changes requested");
  await team.getByRole("link", { name: "Edit and resubmit" }).click();
  await expect(team.getByText(/The reviewer asked: Four runners/)).toBeVisible();
  await expect(team.getByLabel("Private key", { exact: true })).toHaveValue("");
  await team.getByLabel("Maximum runners").fill("2");
  await team.getByRole("button", { name: "Resubmit for review" }).click();
  await expect(team).toHaveURL(new RegExp(`/requests/${id}$`));
  await expect(team.getByTestId("status")).toHaveText("submitted");

  // The reviewer's page updates without a reload once it refetches; approve with a namespace adjustment.
  await review.reload();
  await expect(review.getByTestId("status")).toHaveText("submitted");
  await review.getByLabel("Namespace (adjust before approving)").fill("arc-vision-gpu");
  await review.getByRole("button", { name: "Approve" }).click();
  await expect(review.getByTestId("status")).toHaveText(/approved|provisioning|ready/);

  const steps = ["Submitted for review", "Changes requested", "Resubmitted", "Approved"];
  for (const page of [team, review]) {
    await page.reload();
    // The review steps come first, in order; provisioning's own entries follow the approval.
    const timeline = page.getByTestId("timeline-event");
    for (const [i, step] of steps.entries()) await expect(timeline.nth(i)).toContainText(step);
    await expect(timeline.nth(2)).toContainText("maxRunners");
    await expect(timeline.nth(3)).toContainText("Adjusted by the reviewer before approval");
    await expect(timeline.nth(3)).toContainText("arc-vision-gpu");
  }
  const stored = await prisma.runnerRequest.findUniqueOrThrow({ where: { id } });
  expect(stored.namespace).toBe("arc-vision-gpu");
  expect(stored.approvedSpec).toMatchObject({ maxRunners: 2, namespace: "arc-vision-gpu" });
});

test("nobody approves their own request, not even an admin", async ({ page, context, users }) => {
  const admin = await users.create({ role: "ADMIN", team: "ossci-infra" });
  await users.signIn(context, admin);
  const created = await page.request.post("/api/requests", {
    data: requestBody({ team: "ossci-infra", label: "ossci-self", namespace: "arc-ossci", gpus: 0, maxRunners: 1 }),
  });
  const { id } = await created.json();
  await page.goto(`/requests/${id}`);
  await expect(page.getByText("You cannot approve your own request.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  const res = await page.request.post(`/api/requests/${id}/actions`, { data: { action: "approve" } });
  expect(res.status()).toBe(403);
  expect((await res.json()).error).toMatch(/cannot approve your own request/);
});

test("a reviewer who joined the team sees why they may not approve; other reviewers see staff in the team and whose namespace it is", async ({ users }) => {
  const requester = await users.create({ team: "staffed" });
  const insider = await users.create({ role: "REVIEWER" });
  const reviewer = await users.create({ role: "REVIEWER" });
  const team = await users.pageAs(requester);
  const teamId = (await prisma.team.findUniqueOrThrow({ where: { slug: "staffed" } })).id;
  expect((await team.request.post(`/api/teams/${teamId}/members`, { data: { login: insider.login } })).status()).toBe(201);
  const created = await team.request.post("/api/requests", { data: requestBody({ team: "staffed", label: "staffed-gpu", namespace: "arc-staffed" }) });
  const { id } = await created.json();

  const inside = await users.pageAs(insider);
  await inside.goto(`/requests/${id}`);
  await expect(inside.getByTestId("approval-refusal")).toContainText("You are a member of team staffed");
  await expect(inside.getByRole("button", { name: "Approve" })).toHaveCount(0);

  const review = await users.pageAs(reviewer);
  await review.goto(`/requests/${id}`);
  await expect(review.getByTestId("team-staff")).toHaveText(`Reviewer @${insider.login} is a member of team staffed and cannot approve its requests.`);
  await expect(review.getByTestId("namespace-owner")).toContainText("Namespace arc-staffed on cluster");
  await expect(review.getByTestId("namespace-owner")).toContainText("belongs to team staffed.");
  await expect(review.getByRole("button", { name: "Approve" })).toBeEnabled();

  await team.goto(`/teams/${teamId}`);
  await expect(team.getByTestId("team-event").first()).toHaveText(new RegExp(`added @${insider.login} \\(OSSCI reviewer\\)`));
});
