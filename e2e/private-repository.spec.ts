import { randomBytes, randomInt } from "node:crypto";
import type { Page } from "@playwright/test";
import { appPem, expect, fillRequestForm, PORTAL_APP, prisma, test } from "./fixtures";

// A private repository, through the browser: the requester signs in with GitHub (whose
// sign-in has no `repo` scope, so their token cannot see the repository) and the portal
// asks through the App installation the form names. The local GitHub gets a private
// organisation of this run's own: two private repositories, an installation that covers
// only one of them, a writer and a reader.
const s = randomBytes(3).toString("hex");
const org = `priv-${s}`;
const writer = `writer-${s}`;
const reader = `reader-${s}`;
const installationId = randomInt(100_000, 900_000);

test.beforeAll(async () => {
  const res = await fetch(`${process.env.E2E_GITHUB_URL}/_fake/seed`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      users: [{ login: writer }, { login: reader }],
      orgs: [{ login: org }],
      repos: [
        { owner: org, name: "engine", private: true, writers: [writer], readers: [reader] },
        { owner: org, name: "vault", private: true, writers: [writer] },
      ],
      installations: [
        { id: installationId, appId: PORTAL_APP.id, account: org, repositorySelection: "selected", repositories: ["engine"], permissions: { administration: "write" } },
      ],
    }),
  });
  expect(res.status, await res.text()).toBe(200);
});

async function signInWithGitHub(page: Page, login: string, authorizeAs: (login: string) => Promise<void>) {
  await authorizeAs(login);
  await page.goto("/signin?callbackUrl=/requests/new");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await expect(page.getByRole("heading", { name: "Ask for GPU runners" })).toBeVisible();
}

async function fillPrivateRequest(page: Page, repo: string, label: string) {
  await fillRequestForm(page, { team: `private-${s}`, label });
  await page.getByLabel("GitHub organisation or repository URL").fill(`https://github.com/${org}/${repo}`);
  await page.getByLabel("App ID or Client ID").fill(String(PORTAL_APP.id));
  await page.getByLabel("Installation ID").fill(String(installationId));
  await page.getByLabel("Private key", { exact: true }).fill(appPem());
}

test("a writer files a request for a private repository, checked through the App's installation", async ({ page, github }) => {
  await signInWithGitHub(page, writer, github.authorizeAs);
  await fillPrivateRequest(page, "engine", `priv-w-${s}`);
  await page.getByRole("button", { name: "Check with GitHub" }).click();
  const check = page.getByTestId("github-check");
  await expect(check).toContainText(`Your access: GitHub says @${writer} has \`write\` access to the private repository \`${org}/engine\``);
  await expect(check.getByLabel("failed")).toHaveCount(0);

  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page).toHaveURL(/\/requests\/[a-z0-9]+$/);
  await expect(page.getByTestId("status")).toHaveText("submitted");
  const stored = await prisma.runnerRequest.findFirstOrThrow({ where: { label: `priv-w-${s}` } });
  expect(stored.githubCheck).toMatchObject({ standing: { status: "ok" } });
  // The installation token made for the check does not outlive it, and nothing holds one.
  expect(JSON.stringify(stored)).not.toMatch(/ghs_|gho_/);
});

test("a reader is refused for a private repository, and a repository outside the installation says so", async ({ page, github }) => {
  await signInWithGitHub(page, reader, github.authorizeAs);
  await fillPrivateRequest(page, "engine", `priv-r-${s}`);
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText(`GitHub says @${reader} has only read access to \`${org}/engine\`.`, { exact: false })).toBeVisible();
  await expect(page).toHaveURL(/\/requests\/new/);

  await page.getByLabel("GitHub organisation or repository URL").fill(`https://github.com/${org}/vault`);
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText(`GitHub says the App's installation does not cover \`${org}/vault\``, { exact: false })).toBeVisible();
  await expect(page).toHaveURL(/\/requests\/new/);
  expect(await prisma.runnerRequest.count({ where: { label: `priv-r-${s}` } })).toBe(0);
});
