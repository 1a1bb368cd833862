import { randomBytes, randomInt } from "node:crypto";
import { test as base, type BrowserContext, type Page } from "@playwright/test";
import { createPrismaClient } from "../lib/db/client";
import type { Role } from "../lib/generated/prisma/enums";
import { E2E_STAFF } from "./github-seed";

// Playwright fixtures that seed people straight into the portal's database
// and give the browser their session cookie, so tests that are not about
// signing in do not repeat the OAuth dance.

export interface SeededUser {
  id: string;
  login: string;
  role: Role;
}

const prisma = createPrismaClient(process.env.DATABASE_URL!, 2);

export interface Users {
  create(opts: { login?: string; role?: Role; team?: string }): Promise<SeededUser>;
  signIn(context: BrowserContext, user: SeededUser): Promise<void>;
  /** A page in a browser context of its own, signed in as `user`. */
  pageAs(user: SeededUser): Promise<Page>;
}

/** A person with a fresh login; a reviewer's or admin's comes from the pool the portal's lists name. */
async function createWithFreeLogin(role: Role) {
  const pool = role === "ADMIN" ? E2E_STAFF.admins : role === "REVIEWER" ? E2E_STAFF.reviewers : null;
  for (let attempt = 0; ; attempt++) {
    const login = pool ? pool[randomInt(pool.length)]! : `user-${randomBytes(4).toString("hex")}`;
    try {
      return await prisma.user.create({ data: { login, name: login, role } });
    } catch (err) {
      // Taken by another spec of this run: try another.
      if ((err as { code?: string }).code !== "P2002" || attempt > 50) throw err;
    }
  }
}

export const test = base.extend<{
  users: Users;
  github: { authorizeAs(login: string): Promise<void> };
}>({
  users: async ({ browser }, use) => {
    const users: Users = {
      async create({ login, role = "REQUESTER", team }) {
        const user = login ? await prisma.user.create({ data: { login, name: login, role } }) : await createWithFreeLogin(role);
        login = user.login;
        if (team) {
          const t = await prisma.team.upsert({ where: { slug: team }, update: {}, create: { slug: team, name: team } });
          await prisma.teamMembership.create({ data: { teamId: t.id, userId: user.id } });
        }
        return { id: user.id, login, role };
      },
      async signIn(context, user) {
        const sessionToken = randomBytes(32).toString("hex");
        await prisma.session.create({ data: { sessionToken, userId: user.id, expires: new Date(Date.now() + 3_600_000) } });
        await context.addCookies([
          { name: "next-auth.session-token", value: sessionToken, domain: "localhost", path: "/", httpOnly: true, sameSite: "Lax" },
        ]);
      },
      async pageAs(user: SeededUser) {
        const context = await browser.newContext();
        await users.signIn(context, user);
        return context.newPage();
      },
    };
    await use(users);
  },
  github: async ({}, use) => {
    const control = (p: string, body: unknown) =>
      fetch(`${process.env.E2E_GITHUB_URL}/_fake/${p}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    await use({
      async authorizeAs(login) {
        const r = await control("authorize-as", { login });
        if (!r.ok) throw new Error(`local GitHub refused authorize-as: ${r.status}`);
      },
    });
  },
});

export { expect } from "@playwright/test";
import { INSTALLATION, PORTAL_APP } from "../test/harness/github-world";
export { INSTALLATION, PORTAL_APP };
import { scaleSetAnswers } from "./scale-set-answers";
export { scaleSetAnswers };
/** The private key of the App the local GitHub server knows; made per run by the global setup. */
export const appPem = () => process.env.TEST_GITHUB_APP_PEM!;

/** A valid submission on the e2e organisation, with the App the local GitHub knows; override what a test is about. */
export function requestBody(over: { team: string; label: string } & Record<string, unknown>) {
  // Anything in `over` (a githubApp too) wins: scaleSetAnswers spreads it last.
  return { githubApp: { appId: String(PORTAL_APP.id), installationId: String(INSTALLATION["e2e-org"]), privateKey: appPem() }, ...scaleSetAnswers(over) };
}

/** Fills the request form with scaleSetAnswers' values, through the fields' labels. */
export async function fillRequestForm(page: Page, { team, label }: { team: string; label: string }) {
  const a = scaleSetAnswers({ team, label });
  await page.getByLabel("Team / project name").fill(team);
  await page.getByLabel("Contact").fill(a.contact);
  await page.getByLabel("GitHub organisation or repository URL").fill(a.githubConfigUrl);
  await page.getByLabel("Runner label").fill(label);
  await page.getByLabel("Namespace").fill(a.namespace);
  await page.getByLabel("Memory per runner").fill(a.memory);
  await page.getByLabel("CPU cores per runner").fill(a.cpu);
  await page.getByLabel("GPUs per runner").fill(String(a.gpus));
  await page.getByLabel("Do your workflows run docker?").selectOption(a.docker ? "yes" : "no");
  await page.getByLabel("Maximum runners").fill(String(a.maxRunners));
}

export { prisma };
