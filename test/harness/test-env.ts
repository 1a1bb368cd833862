// Configuration every test process shares: valid secrets, no real GitHub.
export const TEST_SECRETS = {
  NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-0123456789",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};
