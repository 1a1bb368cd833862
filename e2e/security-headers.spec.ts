import { expect, test } from "./fixtures";

test("pages carry a strict CSP with a per-request nonce, and the app still runs under it", async ({ page, context, users }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text());
  });
  const user = await users.create({ team: "csp-team" });
  await users.signIn(context, user);
  const first = await page.goto("/requests/new");
  const csp = first!.headers()["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("unsafe-eval");
  const second = await page.request.get("/requests/new");
  expect(second.headers()["content-security-policy"]).not.toBe(csp);
  expect(first!.headers()["x-frame-options"]).toBe("DENY");
  expect(first!.headers()["x-content-type-options"]).toBe("nosniff");
  expect(first!.headers()["referrer-policy"]).toBe("same-origin");
  // Hydrated React under the policy: typing updates the live preview.
  await page.getByLabel("Runner label").fill("csp-check");
  await expect(page.getByLabel("Runner label")).toHaveValue("csp-check");
  await page.getByLabel("Typical job duration (minutes)").fill("10");
  await page.getByLabel("Jobs per hour at busy times").fill("6");
  await expect(page.getByTestId("sizing-suggestion")).toBeVisible();
  expect(violations).toEqual([]);
  const api = await page.request.get("/api/health/live");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  // API routes get their headers from route(), not the proxy: JSON needs no scripts at all.
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers()["x-frame-options"]).toBe("DENY");
  // next-auth's routes still pass through the proxy.
  const auth = await page.request.get("/api/auth/providers");
  expect(auth.headers()["x-content-type-options"]).toBe("nosniff");
  expect(auth.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
});
