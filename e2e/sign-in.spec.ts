import { open } from "../lib/crypto/aes-gcm";
import { TEST_SECRETS } from "../test/harness/test-env";
import { expect, prisma, test } from "./fixtures";

test.describe("signing in", () => {
  test("a person signs in through GitHub OAuth and lands on My requests as that user", async ({ page, github }) => {
    await github.authorizeAs("octo-requester");
    await page.goto("/requests");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Frequests/);
    await page.getByRole("button", { name: "Sign in with GitHub" }).click();

    await expect(page).toHaveURL(/\/requests$/);
    await expect(page.getByRole("heading", { name: "My requests" })).toBeVisible();
    await expect(page.getByTestId("signed-in-user")).toContainText("@octo-requester");
    await expect(page.getByLabel("role requester")).toBeVisible();
    await expect(page.getByText("No requests yet")).toBeVisible();

    // The person and their GitHub account were stored through next-auth's adapter.
    const user = await prisma.user.findUniqueOrThrow({ where: { login: "octo-requester" }, include: { accounts: true, sessions: true } });
    expect(user.githubId).toBe(5001);
    expect(user.accounts.map((a) => [a.provider, a.providerAccountId])).toEqual([["github", "5001"]]);
    expect(user.sessions.length).toBeGreaterThan(0);
    // Its GitHub token is stored sealed with ENCRYPTION_KEY, never in the clear, and opens to the token GitHub issued.
    const stored = user.accounts[0]!.access_token!;
    expect(stored).toMatch(/^v1:/);
    expect(open(stored, TEST_SECRETS.ENCRYPTION_KEY)).toMatch(/^gho_\w{36}$/);
    expect(JSON.stringify(user.accounts)).not.toMatch(/gho_/);

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "next-auth.session-token");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/requests");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a login on the reviewer list gets the reviewer role at sign-in and sees the queue", async ({ page, github }) => {
    await github.authorizeAs("octo-reviewer");
    await page.goto("/signin?callbackUrl=/review");
    await page.getByRole("button", { name: "Sign in with GitHub" }).click();
    await expect(page).toHaveURL(/\/review$/);
    await expect(page.getByRole("heading", { name: "Review queue" })).toBeVisible();
    await expect(page.getByLabel("role reviewer")).toBeVisible();
    await expect(page.getByRole("link", { name: "Review queue" })).toBeVisible();
  });

  test("a GitHub sign-in the person declines comes back with a message", async ({ page }) => {
    await fetch(`${process.env.E2E_GITHUB_URL}/_fake/authorize-as`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ deny: true }),
    });
    await page.goto("/signin");
    await page.getByRole("button", { name: "Sign in with GitHub" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    await expect(page).toHaveURL(/\/signin/);
  });
});

test.describe("the return path after sign-in", () => {
  test("a signed-in person sent to /signin with a crafted callbackUrl stays on the portal", async ({ page, context, users, baseURL }) => {
    const alice = await users.create({ role: "REQUESTER", team: "rocm" });
    await users.signIn(context, alice);
    // A tab or a newline: Chromium drops them from the Location, and "/\t/evil.example" becomes "//evil.example".
    for (const callbackUrl of ["/%09/evil.example", "/%0a/evil.example", "/%5Cevil.example", "//evil.example", "https://evil.example/"]) {
      const response = await page.goto(`/signin?callbackUrl=${callbackUrl}`);
      expect(response?.status(), callbackUrl).toBe(200);
      expect(new URL(page.url()).origin, callbackUrl).toBe(new URL(baseURL!).origin);
      expect(new URL(page.url()).pathname, callbackUrl).toBe("/requests");
    }
    await page.goto("/signin?callbackUrl=%2Freview%3Ftab%3Dmine");
    expect(new URL(page.url()).pathname).toBe("/review");
  });
});

test.describe("roles", () => {
  test("a requester cannot open the review queue or an admin page: 403 with an explanation", async ({ page, context, users }) => {
    const alice = await users.create({ role: "REQUESTER", team: "rocm" });
    await users.signIn(context, alice);
    const response = await page.goto("/review");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You do not have the role this page needs" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Review queue" })).toHaveCount(0);
    // An admin page says the same, and does not call itself a reviewers' page.
    expect((await page.goto("/admin/clusters"))?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You do not have the role this page needs" })).toBeVisible();
    await expect(page.getByText("portal admins")).toBeVisible();
  });

  test("anonymous visitors are sent to sign in, and demo sign-in is off in a production build", async ({ page, request }) => {
    await page.goto("/review");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Freview/);
    const live = await request.get("/api/health/live");
    expect(live.status()).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });
    const demo = await request.post("/api/demo-sign-in", { form: { login: "alice-demo" } });
    expect(demo.status()).toBe(404);
    expect((await demo.json()).error).toMatch(/Demo sign-in is not enabled/);
  });
});
