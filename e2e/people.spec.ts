import { randomBytes } from "node:crypto";
import { expect, prisma, test } from "./fixtures";

// The admin People page in Chromium against the production build: an admin deactivates a
// person by the row's own button, behind a confirmation that says what happens; that person's
// open page and API calls are signed out at once; a GitHub sign-in is refused with a reason;
// reactivation lets them back in.

const hex = () => randomBytes(4).toString("hex");

test("an admin deactivates a person, whose open page and API are signed out at once, then reactivates them", async ({ users }) => {
  const team = `e2e-people-${hex()}`;
  const admin = await users.create({ role: "ADMIN" });
  const carol = await users.create({ team });
  const carolPage = await users.pageAs(carol);
  await carolPage.goto("/requests");
  await expect(carolPage.getByRole("heading", { name: "My requests" })).toBeVisible();
  expect((await carolPage.request.get("/api/requests")).status()).toBe(200);

  const adminPage = await users.pageAs(admin);
  await adminPage.goto("/requests");
  await adminPage.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "People" }).click();
  await expect(adminPage.getByRole("heading", { name: "People", exact: true })).toBeVisible();

  // The admin's own row has no button; the filter narrows the table to one person.
  await adminPage.getByLabel("Filter by login").fill(admin.login);
  await expect(adminPage.getByTestId("person-row")).toHaveCount(1);
  await expect(adminPage.getByTestId("person-row")).toContainText("you");
  await expect(adminPage.getByRole("button", { name: `Deactivate @${admin.login}` })).toHaveCount(0);
  const self = await adminPage.request.post(`/api/admin/people/${admin.id}/deactivate`);
  expect(self.status()).toBe(409);
  expect((await self.json()).error).toMatch(/^You cannot deactivate yourself/);

  await adminPage.getByLabel("Filter by login").fill(`@${carol.login}`);
  const row = adminPage.getByTestId("person-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(team);
  await expect(row).toContainText("active");
  await row.getByRole("button", { name: `Deactivate @${carol.login}` }).click();

  const dialog = adminPage.getByRole("alertdialog", { name: `Deactivate @${carol.login}?` });
  await expect(dialog).toContainText("Their sessions end at once");
  await expect(dialog).toContainText("Signing in is refused");
  await expect(dialog).toContainText("Their requests and audit history stay");
  await expect(dialog).toContainText("Their team memberships stay, but they cannot act");
  await dialog.getByRole("button", { name: `Yes, deactivate @${carol.login}` }).click();

  await expect(adminPage.getByRole("status")).toHaveText(`Deactivated @${carol.login}. 1 session ended.`);
  await expect(row).toContainText("deactivated");
  await expect(adminPage.getByTestId("person-event").first()).toHaveText(new RegExp(`@${admin.login} deactivated @${carol.login} \\(1 session ended\\)`));

  // Carol's open page: her next API call is 401, and a reload sends her to sign in.
  const api = await carolPage.request.get("/api/requests");
  expect(api.status()).toBe(401);
  await carolPage.reload();
  await expect(carolPage).toHaveURL(/\/signin\?callbackUrl=%2Frequests/);

  // Her team membership and the audit row stay.
  const stored = await prisma.user.findUniqueOrThrow({ where: { id: carol.id }, include: { memberships: true, personEvents: true } });
  expect(stored.deactivatedAt).not.toBeNull();
  expect(stored.memberships).toHaveLength(1);
  expect(stored.personEvents.map((e) => [e.action, e.actorId])).toEqual([["DEACTIVATED", admin.id]]);

  // Reactivate through the same row.
  await row.getByRole("button", { name: `Reactivate @${carol.login}` }).click();
  await adminPage
    .getByRole("alertdialog", { name: `Reactivate @${carol.login}?` })
    .getByRole("button", { name: `Yes, reactivate @${carol.login}` })
    .click();
  await expect(adminPage.getByRole("status")).toContainText(`Reactivated @${carol.login}.`);
  await expect(row).toContainText("active");
  await expect(adminPage.getByTestId("person-event").first()).toHaveText(new RegExp(`@${admin.login} reactivated @${carol.login}`));

  // A new sign-in works again.
  const carolAgain = await users.pageAs(carol);
  expect((await carolAgain.request.get("/api/requests")).status()).toBe(200);
});

test("a deactivated person's GitHub sign-in is refused with the reason, and works after reactivation", async ({ page, github, users, browser }) => {
  // octo-requester exists on the local GitHub; sign in once so the portal knows them.
  await github.authorizeAs("octo-requester");
  await page.goto("/signin?callbackUrl=/requests");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  // (The sign-in URL itself ends in /requests: wait for the signed-in header, not the URL.)
  await expect(page.getByTestId("signed-in-user")).toContainText("@octo-requester");
  const octo = await prisma.user.findUniqueOrThrow({ where: { login: "octo-requester" } });

  const admin = await users.create({ role: "ADMIN" });
  const adminPage = await users.pageAs(admin);
  try {
    expect((await adminPage.request.post(`/api/admin/people/${octo.id}/deactivate`)).status()).toBe(200);
    await page.reload();
    await expect(page).toHaveURL(/\/signin/);

    const fresh = await (await browser.newContext()).newPage();
    await github.authorizeAs("octo-requester");
    await fresh.goto("/signin?callbackUrl=/requests");
    await fresh.getByRole("button", { name: "Sign in with GitHub" }).click();
    await expect(fresh.getByRole("alert").filter({ hasText: "deactivated" })).toHaveText(
      "An admin has deactivated your portal account, so you cannot sign in. Ask a portal admin if you think this is a mistake.",
    );
    await expect(fresh).toHaveURL(/\/signin\?error=Deactivated/);
    expect(await prisma.session.count({ where: { userId: octo.id } })).toBe(0);
  } finally {
    // Other specs sign in as octo-requester: leave them active whatever happened above.
    const back = await adminPage.request.post(`/api/admin/people/${octo.id}/reactivate`);
    expect(back.status()).toBe(200);
  }

  await github.authorizeAs("octo-requester");
  await page.goto("/signin?callbackUrl=/requests");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await expect(page.getByTestId("signed-in-user")).toContainText("@octo-requester");
  await expect(page).toHaveURL(/\/requests$/);
  expect((await prisma.user.findUniqueOrThrow({ where: { id: octo.id } })).lastSignInAt).not.toBeNull();
});
