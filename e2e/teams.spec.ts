import { randomBytes } from "node:crypto";
import { expect, prisma, requestBody, test } from "./fixtures";

// Team membership in Chromium against the production build: a member adds a
// colleague by GitHub login, who then sees the team's requests; the last
// member cannot be removed; and bad input through the real API is answered
// with 4xx and a message, writing nothing.

const hex = () => randomBytes(4).toString("hex");

async function teamState(teamId: string) {
  const [members, events] = await Promise.all([
    prisma.teamMembership.findMany({ where: { teamId }, orderBy: { userId: "asc" } }),
    prisma.teamEvent.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
  ]);
  return { members, events };
}

test("a member adds a colleague by GitHub login, who then sees the team's requests", async ({ users }) => {
  const teamName = `e2e-teams-${hex()}`;
  const alice = await users.create({ team: teamName });
  const bob = await users.create({});
  const alicePage = await users.pageAs(alice);
  const bobPage = await users.pageAs(bob);

  const label = `teams-${hex()}`;
  const created = await alicePage.request.post("/api/requests", { data: requestBody({ team: teamName, label }) });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  expect((await bobPage.request.get(`/api/requests/${id}`)).status()).toBe(404);

  // Alice finds the team through the header's Teams link.
  await alicePage.goto("/requests");
  await alicePage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Teams" }).click();
  await expect(alicePage.getByRole("heading", { name: "Teams" })).toBeVisible();
  const row = alicePage.getByTestId("team-row").filter({ hasText: teamName });
  await expect(row).toContainText(`@${alice.login}`);
  await row.getByRole("link", { name: teamName }).click();
  await expect(alicePage.getByRole("heading", { name: teamName })).toBeVisible();
  await expect(alicePage.getByRole("link", { name: label })).toBeVisible();

  // An unknown login is refused with a message on the field.
  await alicePage.getByLabel("GitHub login").fill("nobody-has-this-login");
  await alicePage.getByRole("button", { name: "Add member" }).click();
  await expect(alicePage.getByRole("alert").filter({ hasText: "Nobody with the GitHub login" })).toContainText(
    "@nobody-has-this-login has signed in to the portal yet. Ask them to sign in once",
  );
  await expect(alicePage.getByLabel("GitHub login")).toHaveAccessibleDescription(/@nobody-has-this-login has not signed in to the portal yet/);
  await expect(alicePage.getByTestId("team-member")).toHaveCount(1);

  await alicePage.getByLabel("GitHub login").fill(`@${bob.login}`);
  await alicePage.getByRole("button", { name: "Add member" }).click();
  await expect(alicePage.getByRole("status").filter({ hasText: "Added" })).toContainText(`Added @${bob.login}`);
  await expect(alicePage.getByTestId("team-member")).toHaveCount(2);
  await expect(alicePage.getByRole("list", { name: "Members", exact: true })).toContainText(`@${bob.login}`);
  await expect(alicePage.getByTestId("team-event").first()).toHaveText(new RegExp(`@${alice.login} added @${bob.login}`));

  // Bob now sees the team's request, in his list and on its page.
  await bobPage.goto("/requests");
  await bobPage.getByRole("link", { name: label }).click();
  await expect(bobPage).toHaveURL(new RegExp(`/requests/${id}$`));
  await expect(bobPage.getByTestId("status")).toHaveText("submitted");
  await bobPage.goto("/teams");
  await expect(bobPage.getByTestId("team-row").filter({ hasText: teamName })).toContainText("1");
});

test("the last member cannot be removed, and the page says why", async ({ users }) => {
  const teamName = `e2e-last-${hex()}`;
  const carol = await users.create({ team: teamName });
  const dave = await users.create({});
  const page = await users.pageAs(carol);
  const teamId = (await prisma.team.findUniqueOrThrow({ where: { slug: teamName } })).id;

  await page.goto(`/teams/${teamId}`);
  const leave = page.getByRole("button", { name: "Leave team" });
  await expect(leave).toBeDisabled();
  await expect(leave).toHaveAccessibleDescription(/The last member cannot be removed: a team needs someone who can see its requests/);

  // The server refuses it too, whatever the page shows.
  const before = await teamState(teamId);
  const refused = await page.request.delete(`/api/teams/${teamId}/members/${carol.login}`);
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error).toMatch(/is the last member of .* A team needs at least one member/);
  expect(await teamState(teamId)).toEqual(before);

  // With a second member either can go; removing is recorded.
  await page.getByLabel("GitHub login").fill(dave.login);
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByTestId("team-member")).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Leave team" })).toBeEnabled();
  await page.getByRole("button", { name: `Remove @${dave.login}` }).click();
  await expect(page.getByTestId("team-member")).toHaveCount(1);
  await expect(page.getByTestId("team-event").first()).toHaveText(new RegExp(`@${carol.login} removed @${dave.login}`));
  await expect(page.getByRole("button", { name: "Leave team" })).toBeDisabled();
});

test("bad input to the team API: 4xx with a message, no stack, nothing written", async ({ users }) => {
  const teamName = `e2e-bad-${hex()}`;
  const member = await users.create({ team: teamName });
  const other = await users.create({ team: `e2e-bad-other-${hex()}` });
  const reviewer = await users.create({ role: "REVIEWER" });
  const signedInOnce = await users.create({});
  const teamId = (await prisma.team.findUniqueOrThrow({ where: { slug: teamName } })).id;
  const m = (await users.pageAs(member)).request;
  const o = (await users.pageAs(other)).request;
  const r = (await users.pageAs(reviewer)).request;
  const members = `/api/teams/${teamId}/members`;

  const cases: [string, () => Promise<{ status(): number; json(): Promise<unknown> }>, number][] = [
    ["GET an unknown team", () => m.get("/api/teams/cnotateam000000000000000"), 404],
    ["GET a team id with a NUL and an RTL override", () => m.get(`/api/teams/${encodeURIComponent("a\u0000\u202Eb")}`), 404],
    ["GET another team's page data", () => o.get(`/api/teams/${teamId}`), 404],
    ["POST to an unknown team", () => m.post("/api/teams/cnotateam000000000000000/members", { data: { login: signedInOnce.login } }), 404],
    ["POST a malformed login", () => m.post(members, { data: { login: "not a login" } }), 400],
    ["POST a 40-character login", () => m.post(members, { data: { login: "a".repeat(40) } }), 400],
    ["POST a login as a number", () => m.post(members, { data: { login: 7 } }), 400],
    ["POST no login", () => m.post(members, { data: {} }), 400],
    ["POST a login nobody signed in with", () => m.post(members, { data: { login: "never-signed-in-e2e" } }), 400],
    ["POST an existing member", () => m.post(members, { data: { login: member.login } }), 409],
    ["POST invalid JSON", () => m.post(members, { headers: { "content-type": "application/json" }, data: "{login:" }), 400],
    ["POST a form", () => m.post(members, { form: { login: signedInOnce.login } }), 415],
    ["POST as a member of another team", () => o.post(members, { data: { login: signedInOnce.login } }), 404],
    ["POST as a reviewer", () => r.post(members, { data: { login: signedInOnce.login } }), 403],
    ["DELETE the last member", () => m.delete(`${members}/${member.login}`), 409],
    ["DELETE a malformed login", () => m.delete(`${members}/${encodeURIComponent("bad..login")}`), 400],
    ["DELETE someone who is not a member", () => m.delete(`${members}/${signedInOnce.login}`), 404],
    ["DELETE as a member of another team", () => o.delete(`${members}/${member.login}`), 404],
    ["DELETE as a reviewer", () => r.delete(`${members}/${member.login}`), 403],
  ];
  const before = { state: await teamState(teamId), memberships: await prisma.teamMembership.count(), events: await prisma.teamEvent.count() };
  const outcomes: string[] = [];
  for (const [what, call, want] of cases) {
    const res = await call();
    const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
    if (res.status() !== want) outcomes.push(`${what}: expected ${want}, got ${res.status()} ${JSON.stringify(body)}`);
    if (typeof body?.error !== "string" || body.error.length < 10) outcomes.push(`${what}: no message (${JSON.stringify(body)})`);
    if (/at .+\.(js|ts):\d+|node_modules|\/work\//.test(JSON.stringify(body))) outcomes.push(`${what}: leaks a stack or path`);
  }
  expect(outcomes).toEqual([]);
  expect({ state: await teamState(teamId), memberships: await prisma.teamMembership.count(), events: await prisma.teamEvent.count() }).toEqual(before);
});
