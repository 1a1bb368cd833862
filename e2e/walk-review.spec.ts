import { expect, prisma, requestBody, test } from "./fixtures";

// Where a requester and a reviewer stopped on the walk from form to READY (issue 18): a request
// too big for the cluster needs an explicit "Approve anyway" with a reason, in the browser and
// at the API; GitHub unreachable at submit is checked again from the warning on the timeline.

const github = (p: string, body: unknown) =>
  fetch(`${process.env.E2E_GITHUB_URL}/_fake/${p}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

test("a request bigger than any node is approved only 'anyway', with a reason the timeline keeps; READY shows runners and what each side can do", async ({ users }) => {
  test.setTimeout(120_000);
  const requester = await users.create({ team: "walk-team" });
  const reviewer = await users.create({ role: "REVIEWER" });
  const team = await users.pageAs(requester);
  const review = await users.pageAs(reviewer);
  const label = `walk-big-${Date.now() % 100000}`;
  // 200 cores per runner: the run's nodes have 128 each, so no runner could ever start.
  const created = await team.request.post("/api/requests", { data: requestBody({ team: "walk-team", label, cpu: "200", gpus: 1, maxRunners: 1, docker: true }) });
  expect(created.status()).toBe(201);
  const { id } = await created.json();

  // The requester, while it is only submitted: the label does not work yet, and says so.
  await team.goto(`/requests/${id}`);
  const use = team.getByRole("region", { name: "Use your runners" });
  await expect(use.getByTestId("label-state")).toContainText("Not usable yet: the label works once the request is ready (it is submitted now)");
  const clusters = await prisma.cluster.count();
  await expect(team.getByText("(the reviewer decides the cluster)")).toHaveCount(clusters > 1 ? 1 : 0);

  // The values preview wraps long lines (the dind start script has some) and its text is the file, byte for byte.
  const values = team.getByTestId("preview-values");
  const file = await (await team.request.get(`/api/requests/${id}/values`)).text();
  expect(await values.textContent()).toBe(file);
  const overflows = () => values.evaluate((el) => el.scrollWidth > el.clientWidth);
  expect(await overflows()).toBe(false);
  await team.getByLabel("Wrap long lines").uncheck();
  expect(await overflows()).toBe(true);

  // The reviewer sees one summary line above the table, not a list of sentences.
  await review.goto(`/requests/${id}`);
  const capacity = review.getByRole("region", { name: "Capacity" });
  await expect(capacity.getByRole("alert")).toHaveText(/^Does not fit: CPU cores \(one runner is bigger than any node\)\. The rows in red below show where\.$/);
  await expect(capacity.getByTestId("capacity-cpu")).toContainText("does not fit");

  // The API refuses a plain approval of it, and changes nothing.
  const plain = await review.request.post(`/api/requests/${id}/actions`, { data: { action: "approve" } });
  expect(plain.status()).toBe(422);
  const refusal = await plain.json();
  expect(refusal.error).toMatch(/^Does not fit on .*: CPU cores .* To approve anyway, give your reason/);
  expect(refusal.fieldErrors.overrideReason).toEqual(["It does not fit: say why you approve it anyway"]);
  expect(await prisma.runnerRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "SUBMITTED", approvedAt: null });
  expect(await prisma.requestEvent.count({ where: { requestId: id, type: "approve" } })).toBe(0);

  // In the browser: Approve asks first; "Approve anyway" needs a reason.
  const pendingBefore = await prisma.runnerRequest.count({ where: { status: "SUBMITTED" } });
  await expect(review.getByLabel(`${pendingBefore} waiting for review`)).toBeVisible();
  await review.getByRole("button", { name: "Approve", exact: true }).click();
  const confirm = review.getByRole("group", { name: /Approve anyway\?/ });
  await expect(confirm).toContainText("Does not fit on");
  await expect(confirm.getByRole("button", { name: "Approve anyway" })).toBeDisabled();
  await expect(review.getByTestId("status")).toHaveText("submitted");
  await review.screenshot({ path: ".cache/test-results/screens/approve-anyway.png", fullPage: true });
  await confirm.getByLabel("Why approve it anyway? (recorded on the timeline)").fill("The team moves to the 256-core nodes arriving next week; approved now so the label exists.");
  await confirm.getByRole("button", { name: "Approve anyway" }).click();
  await expect(review.getByTestId("status")).toHaveText(/approved|provisioning|ready/);
  // Decided: the queue badge counts one fewer at once.
  if (pendingBefore > 1) await expect(review.getByLabel(`${pendingBefore - 1} waiting for review`)).toBeVisible();
  else await expect(review.getByLabel(/waiting for review$/)).toHaveCount(0);

  const approval = review.getByTestId("timeline-event").filter({ hasText: "Approved" }).filter({ hasText: "Approved anyway" });
  await expect(approval).toContainText("Reason: The team moves to the 256-core nodes arriving next week");
  const event = await prisma.requestEvent.findFirstOrThrow({ where: { requestId: id, type: "approve" } });
  expect(event).toMatchObject({ actorId: reviewer.id });
  expect(event.message).toMatch(/Approved anyway\. Does not fit on .*: CPU cores/);
  expect(event.message).toContain("Each runner needs 200 CPU cores, but the largest node offers 128 CPU cores");

  // READY, without a reload: the reviewer sees the runners and what they can do from here.
  await expect(review.getByTestId("status")).toHaveText("ready", { timeout: 60_000 });
  await expect(review.getByRole("region", { name: "Runners", exact: true })).toBeVisible();
  await expect(review.getByText("As a reviewer you can re-apply the approved spec")).toBeVisible();
  await expect(review.getByRole("button", { name: "Re-apply" })).toBeVisible();

  // The requester's READY page: the label works, and the text box says what it is for.
  await team.reload();
  await expect(use.getByTestId("label-state")).toHaveText("Ready: jobs with this label run on these runners.");
  await expect(team.getByLabel("Why remove these runners? (needed to ask for decommissioning)")).toBeVisible();
  await expect(team.getByLabel("Reason or comment for the team")).toHaveCount(0);
});

test("GitHub unreachable at submit: the reviewer checks again from the timeline's warning, and the timeline keeps the answer", async ({ users }) => {
  const requester = await users.create({ team: "walk-recheck" });
  const reviewer = await users.create({ role: "REVIEWER" });
  const team = await users.pageAs(requester);
  const review = await users.pageAs(reviewer);

  // GitHub answers the submission's credential check with a 503.
  expect((await github("fail-next", { route: "*", status: 503, times: 1 })).status).toBe(204);
  const created = await team.request.post("/api/requests", { data: requestBody({ team: "walk-recheck", label: `walk-recheck-${Date.now() % 100000}` }) });
  expect(created.status()).toBe(201);
  const { id } = await created.json();

  await review.goto(`/requests/${id}`);
  const timeline = review.getByRole("list", { name: "Timeline" });
  const warning = timeline.getByTestId("timeline-event").filter({ hasText: "a reviewer should check again before approving" });
  await expect(warning).toHaveCount(1);
  await expect(review.getByTestId("github-check").getByLabel("could not check").first()).toBeVisible();

  await warning.getByRole("button", { name: "Check with GitHub again" }).click();
  const answer = timeline.getByTestId("timeline-event").filter({ hasText: "Checked with GitHub again" });
  await expect(answer).toContainText("GitHub answered: the App's credentials and the requester's access check out.");
  await expect(answer).toContainText(`@${reviewer.login}`);
  // The check passed: no more warning marks, and nothing left to check again.
  await expect(review.getByTestId("github-check").getByLabel("could not check")).toHaveCount(0);
  await expect(review.getByRole("button", { name: "Check with GitHub again" })).toHaveCount(0);
  const stored = await prisma.runnerRequest.findUniqueOrThrow({ where: { id } });
  expect(stored.githubCheck).toMatchObject({ credentials: { status: "ok" } });
  expect(await prisma.requestEvent.count({ where: { requestId: id, type: "github_recheck", actorId: reviewer.id } })).toBe(1);
});
