// REVIEWER_TEAM: team membership on GitHub grants the reviewer role at sign-in,
// and losing it takes the role away at the next sign-in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";
import { isReviewerTeamMember, parseReviewerTeam } from "@/lib/github/reviewer-team";
import { signInRole, type SignInRoleOptions } from "@/lib/github/sign-in-role";
import type { GitHubServer } from "@/test/github-server/server";
import { TEST_SECRETS } from "@/test/harness/test-env";
import { hits, resetWorld, startWorld } from "./world";

let gh: GitHubServer;
beforeAll(async () => {
  gh = await startWorld();
});
afterAll(() => gh.close());
beforeEach(() => resetWorld(gh));

const TEAM = "ossci/arc-reviewers";
const config = (patch: Partial<SignInRoleOptions> = {}): SignInRoleOptions => ({
  apiUrl: gh.url,
  admins: ["carol-admin"],
  reviewers: ["dave"],
  reviewerTeam: TEAM,
  ...patch,
});
const roleOf = (login: string, previousRole: "REQUESTER" | "REVIEWER" | "ADMIN" = "REQUESTER", patch: Partial<SignInRoleOptions> = {}) =>
  signInRole({ login, userToken: gh.issueUserToken(login), previousRole }, config(patch));

describe("isReviewerTeamMember", () => {
  it("is true for an active team member only", async () => {
    expect(await isReviewerTeamMember(gh.issueUserToken("bob"), "bob", { apiUrl: gh.url, team: TEAM })).toBe(true);
    // An organisation member outside the team, and a stranger who cannot even see the team.
    expect(await isReviewerTeamMember(gh.issueUserToken("alice"), "alice", { apiUrl: gh.url, team: TEAM })).toBe(false);
    expect(await isReviewerTeamMember(gh.issueUserToken("carol"), "carol", { apiUrl: gh.url, team: TEAM })).toBe(false);
  });

  it("is false for a team that does not exist", async () => {
    expect(await isReviewerTeamMember(gh.issueUserToken("bob"), "bob", { apiUrl: gh.url, team: "ossci/no-such-team" })).toBe(false);
  });

  it("works against the GitHub Enterprise Server layout (/api/v3)", async () => {
    expect(await isReviewerTeamMember(gh.issueUserToken("bob"), "bob", { apiUrl: gh.apiUrl, team: { org: "ossci", slug: "arc-reviewers" } })).toBe(true);
    expect(gh.requests().every((q) => q.path.startsWith("/api/v3/"))).toBe(true);
  });
});

describe("signInRole", () => {
  it("grants REVIEWER to an active member of REVIEWER_TEAM", async () => {
    expect(await roleOf("bob")).toBe("REVIEWER");
  });

  it("takes REVIEWER away at the next sign-in once the person left the team", async () => {
    expect(await roleOf("bob")).toBe("REVIEWER");
    gh.state.orgs.get("ossci")!.teams.get("arc-reviewers")!.members.delete("bob");
    expect(await roleOf("bob", "REVIEWER")).toBe("REQUESTER");
  });

  it("leaves everyone else a REQUESTER", async () => {
    expect(await roleOf("alice")).toBe("REQUESTER");
    expect(await roleOf("carol")).toBe("REQUESTER");
  });

  it("gives the login lists precedence and asks GitHub nothing for them", async () => {
    gh.addUser({ login: "carol-admin" });
    expect(await roleOf("Carol-Admin")).toBe("ADMIN");
    expect(await roleOf("dave")).toBe("REVIEWER");
    expect(hits(gh, "GET", /\/teams\//)).toBe(0);
  });

  it("does not ask GitHub when no team is configured or there is no token", async () => {
    expect(await roleOf("bob", "REQUESTER", { reviewerTeam: undefined })).toBe("REQUESTER");
    expect(await signInRole({ login: "bob", userToken: null, previousRole: "REQUESTER" }, config())).toBe("REQUESTER");
    expect(hits(gh, "GET", /\/teams\//)).toBe(0);
  });

  it("keeps the previous role when GitHub is down, but never keeps ADMIN from a team", async () => {
    gh.failNext("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", { status: 502 }, { times: 3 });
    expect(await roleOf("bob", "REVIEWER")).toBe("REVIEWER");
    expect(await roleOf("bob", "REQUESTER")).toBe("REQUESTER");
    // Once an admin, now off ADMIN_LOGINS: the team can give at most REVIEWER.
    expect(await roleOf("bob", "ADMIN")).toBe("REVIEWER");
  });

  it("keeps the previous role when rate-limited", async () => {
    gh.failNext("*", { rateLimited: true, secondary: true, status: 429, resetInSeconds: 60 });
    expect(await roleOf("carol", "REVIEWER")).toBe("REVIEWER");
  });
});

describe("REVIEWER_TEAM configuration", () => {
  const base = { ...TEST_SECRETS, DATABASE_URL: "postgresql://x/y", DEMO_SIGN_IN: "1" };

  it("is optional, and blank means unset", () => {
    expect(parseEnv(base).REVIEWER_TEAM).toBeUndefined();
    expect(parseEnv({ ...base, REVIEWER_TEAM: "  " }).REVIEWER_TEAM).toBeUndefined();
    expect(parseEnv({ ...base, REVIEWER_TEAM: " ossci/arc-reviewers " }).REVIEWER_TEAM).toBe("ossci/arc-reviewers");
    expect(parseReviewerTeam("ossci/arc-reviewers")).toEqual({ org: "ossci", slug: "arc-reviewers" });
  });

  it.each(["ossci", "ossci/", "/arc-reviewers", "ossci/arc/reviewers", "https://github.com/orgs/ossci/teams/arc-reviewers", "-ossci/team"])(
    "refuses %j with a message naming the variable and the form",
    (value) => {
      let error: unknown;
      try {
        parseEnv({ ...base, REVIEWER_TEAM: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).problems).toEqual([
        "REVIEWER_TEAM must be an organisation and a team slug as in the team's URL (…/orgs/ORG/teams/TEAM-SLUG), written ORG/TEAM-SLUG, e.g. ossci/arc-reviewers",
      ]);
    },
  );
});
