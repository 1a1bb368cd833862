// Roles come from the login lists on every session lookup (lib/auth/roles.ts effectiveRole), so the
// reviewers and admins the fixtures seed have logins from these pools, which the portals' lists name.
const pool = (prefix: string) => Array.from({ length: 400 }, (_, i) => `${prefix}-${i}`);
export const E2E_STAFF = { admins: pool("e2e-admin"), reviewers: pool("e2e-reviewer") };

/** REVIEWER_LOGINS and ADMIN_LOGINS for every portal an e2e spec starts; `also` adds fixed logins. */
export function staffLists(also: { reviewers?: string[]; admins?: string[] } = {}) {
  return {
    REVIEWER_LOGINS: [...E2E_GITHUB.reviewerLogins, ...E2E_STAFF.reviewers, ...(also.reviewers ?? [])].join(","),
    ADMIN_LOGINS: [...E2E_STAFF.admins, ...(also.admins ?? [])].join(","),
  };
}

// The GitHub world the browser tests sign in against.
export const E2E_GITHUB = {
  oauthApp: { clientId: "Iv1.e2e0portal0client", clientSecret: "e2e-oauth-client-secret" },
  reviewerLogins: ["octo-reviewer"],
  seed: {
    oauthApps: [{ clientId: "Iv1.e2e0portal0client", clientSecret: "e2e-oauth-client-secret" }],
    users: [
      { login: "octo-requester", id: 5001, name: "Octo Requester", email: "requester@example.com" },
      { login: "octo-reviewer", id: 5002, name: "Octo Reviewer", email: null },
    ],
  },
};
