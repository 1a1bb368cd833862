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
