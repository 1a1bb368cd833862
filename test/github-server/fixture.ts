// The JSON seed format (used by main.ts, POST /_fake/seed, and the `seed`
// option), validated with zod so a typo in a fixture is reported by field.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  addApp,
  addInstallation,
  addMember,
  addOAuthApp,
  addOrg,
  addRepo,
  addRunner,
  addTeam,
  addUser,
  issueUserToken,
} from "./seed";
import type { GitHubState } from "./state";

const login = z.string().min(1);
const permissions = z.record(z.string(), z.enum(["read", "write", "admin"]));

const fixtureSchema = z.strictObject({
  users: z
    .array(
      z.strictObject({
        login,
        id: z.number().int().positive().optional(),
        name: z.string().nullable().optional(),
        email: z.string().nullable().optional(),
      }),
    )
    .default([]),
  orgs: z
    .array(
      z.strictObject({
        login,
        id: z.number().int().positive().optional(),
        name: z.string().nullable().optional(),
        description: z.string().nullable().optional(),
        members: z
          .array(
            z.union([
              login,
              z.strictObject({ login, role: z.enum(["admin", "member"]).optional(), public: z.boolean().optional() }),
            ]),
          )
          .default([]),
        teams: z
          .array(
            z.strictObject({
              slug: z.string().min(1),
              id: z.number().int().positive().optional(),
              name: z.string().optional(),
              members: z
                .array(z.union([login, z.strictObject({ login, role: z.enum(["member", "maintainer"]).optional() })]))
                .default([]),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  repos: z
    .array(
      z.strictObject({
        owner: login,
        name: z.string().min(1),
        id: z.number().int().positive().optional(),
        private: z.boolean().optional(),
        admins: z.array(login).optional(),
        maintainers: z.array(login).optional(),
        writers: z.array(login).optional(),
        triagers: z.array(login).optional(),
        readers: z.array(login).optional(),
        customRoles: z
          .array(z.strictObject({ login, name: z.string().min(1), base: z.enum(["read", "triage", "write", "maintain"]) }))
          .optional(),
      }),
    )
    .default([]),
  oauthApps: z
    .array(
      z.strictObject({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        callbackUrl: z.string().url().nullable().optional(),
        name: z.string().optional(),
      }),
    )
    .default([]),
  apps: z
    .array(
      z
        .strictObject({
          id: z.number().int().positive(),
          clientId: z.string().min(1),
          slug: z.string().min(1),
          name: z.string().optional(),
          owner: login.optional(),
          /** The PEM itself, or a path relative to the fixture file. */
          publicKeyPem: z.string().optional(),
          publicKeyPath: z.string().optional(),
          permissions: permissions.optional(),
          events: z.array(z.string()).optional(),
        })
        .refine((a) => Boolean(a.publicKeyPem) !== Boolean(a.publicKeyPath), {
          message: "give exactly one of publicKeyPem or publicKeyPath",
        }),
    )
    .default([]),
  installations: z
    .array(
      z.strictObject({
        id: z.number().int().positive(),
        appId: z.number().int().positive(),
        account: login,
        repositorySelection: z.enum(["all", "selected"]),
        repositories: z.array(z.string()).optional(),
        permissions,
        events: z.array(z.string()).optional(),
        suspended: z.boolean().optional(),
      }),
    )
    .default([]),
  runners: z
    .array(
      z.strictObject({
        /** Organisation login or "owner/repo". */
        target: z.string().min(1),
        id: z.number().int().positive().optional(),
        name: z.string().min(1),
        status: z.enum(["online", "offline"]),
        busy: z.boolean(),
        labels: z.array(z.string()),
        os: z.string().optional(),
        ephemeral: z.boolean().optional(),
      }),
    )
    .default([]),
  /** Fixed user tokens, so an e2e test can call the API as someone without OAuth. */
  tokens: z.array(z.strictObject({ token: z.string().min(1), login, scopes: z.array(z.string()).optional() })).default([]),
  /** Who authorises at /login/oauth/authorize (see GitHubServer.authorizeAs). */
  authorizeAs: login.nullable().optional(),
});

export type SeedFixture = z.input<typeof fixtureSchema>;

export class SeedError extends Error {}

/** Validates and applies a fixture on top of the current state. */
export function applySeed(state: GitHubState, input: unknown, baseDir: string = process.cwd()): void {
  const parsed = fixtureSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new SeedError(`invalid GitHub seed fixture:\n  ${issues.join("\n  ")}`);
  }
  const f = parsed.data;
  for (const u of f.users) addUser(state, u);
  for (const o of f.orgs) {
    addOrg(state, o);
    for (const m of o.members) {
      if (typeof m === "string") addMember(state, o.login, m);
      else addMember(state, o.login, m.login, m.role, { public: m.public });
    }
    for (const t of o.teams) addTeam(state, o.login, t.slug, t.members, { id: t.id, name: t.name });
  }
  for (const r of f.repos) addRepo(state, r.owner, r.name, r);
  for (const a of f.oauthApps) addOAuthApp(state, a);
  for (const a of f.apps) {
    const pem = a.publicKeyPem ?? readFileSync(path.resolve(baseDir, a.publicKeyPath!), "utf8");
    addApp(state, { ...a, publicKeyPem: pem });
  }
  for (const i of f.installations) addInstallation(state, i);
  for (const r of f.runners) addRunner(state, r.target, r);
  for (const t of f.tokens) issueUserToken(state, t.login, { token: t.token, scopes: t.scopes });
  if (f.authorizeAs !== undefined) state.nextAuthorizingUser = f.authorizeAs;
}

export function loadSeedFile(file: string): { fixture: unknown; baseDir: string } {
  const absolute = path.resolve(file);
  return { fixture: JSON.parse(readFileSync(absolute, "utf8")), baseDir: path.dirname(absolute) };
}
