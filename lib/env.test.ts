import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const base = {
  DATABASE_URL: "postgresql://u:p@localhost:5432/db",
  NEXTAUTH_SECRET: "x".repeat(32),
  ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  GITHUB_CLIENT_ID: "Iv1.abc",
  GITHUB_CLIENT_SECRET: "secret",
};

function problems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (err) {
    if (err instanceof EnvError) return err.problems;
    throw err;
  }
  return [];
}

describe("environment validation", () => {
  it("accepts a complete configuration and applies defaults", () => {
    const e = parseEnv(base);
    expect(e.GITHUB_URL).toBe("https://github.com");
    expect(e.GITHUB_API_URL).toBe("https://api.github.com");
    expect(e.DEMO_SIGN_IN).toBe(false);
    expect(e.REVIEWER_LOGINS).toEqual([]);
  });

  it("names each missing or malformed variable and says what it should be", () => {
    const p = problems({ ...base, DATABASE_URL: undefined, ENCRYPTION_KEY: "short", GITHUB_API_URL: "ftp://x" });
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL .*postgresql:\/\//),
        expect.stringMatching(/^ENCRYPTION_KEY must be 32 bytes, base64-encoded/),
        expect.stringMatching(/^GITHUB_API_URL must be an http\(s\) URL/),
      ]),
    );
  });

  it("allows demo sign-in in production only on a loopback address, unless the operator forces it", () => {
    const demo = { ...base, NODE_ENV: "production", DEMO_SIGN_IN: "1" };
    expect(problems(demo)).toEqual([expect.stringMatching(/^DEMO_SIGN_IN must not be on while the portal listens on every interface \(HOSTNAME unset\)/)]);
    expect(problems({ ...demo, HOSTNAME: "0.0.0.0" })).toEqual([expect.stringMatching(/^DEMO_SIGN_IN .*HOSTNAME=0\.0\.0\.0.*HOST=127\.0\.0\.1/)]);
    // A pod's HOSTNAME is its name, which resolves to the pod's address.
    expect(problems({ ...demo, HOSTNAME: "arc-runner-portal-7d9f-x2x" })).toHaveLength(1);
    for (const HOSTNAME of ["127.0.0.1", "localhost", "::1", "127.1.2.3"]) expect(parseEnv({ ...demo, HOSTNAME }).DEMO_SIGN_IN).toBe(true);
    expect(parseEnv({ ...demo, HOSTNAME: "0.0.0.0", DEMO_SIGN_IN_ON_ANY_HOST: "1" }).DEMO_SIGN_IN).toBe(true);
    expect(parseEnv({ ...base, NODE_ENV: "development", DEMO_SIGN_IN: "1" }).DEMO_SIGN_IN).toBe(true);
  });

  it("checks the ARC_* cluster settings with everything else, one line per bad variable", () => {
    expect(problems({ ...base, ARC_MAX_RUNNERS_CEILING: "lots", ARC_SECRET_NAME_TEMPLATE: "no-placeholder", NEXTAUTH_SECRET: "short" })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^NEXTAUTH_SECRET /),
        expect.stringMatching(/^ARC_MAX_RUNNERS_CEILING /),
        expect.stringMatching(/^ARC_SECRET_NAME_TEMPLATE /),
      ]),
    );
    expect(parseEnv({ ...base, ARC_MAX_RUNNERS_CEILING: "12" }).arcSettings.maxRunnersCeiling).toBe(12);
  });

  it("requires some way to sign in, and both halves of the OAuth app", () => {
    expect(problems({ ...base, GITHUB_CLIENT_ID: undefined, GITHUB_CLIENT_SECRET: undefined })).toEqual([
      expect.stringMatching(/^GITHUB_CLIENT_ID is required unless DEMO_SIGN_IN=1/),
    ]);
    expect(problems({ ...base, GITHUB_CLIENT_SECRET: undefined })).toEqual([expect.stringMatching(/^GITHUB_CLIENT_SECRET .*set together/)]);
  });

  it("normalises login lists and base URLs for GitHub Enterprise", () => {
    const e = parseEnv({ ...base, REVIEWER_LOGINS: " Bob, carol ,,", GITHUB_URL: "https://ghe.example.com/", GITHUB_API_URL: "https://ghe.example.com/api/v3/" });
    expect(e.REVIEWER_LOGINS).toEqual(["bob", "carol"]);
    expect(e.GITHUB_URL).toBe("https://ghe.example.com");
    expect(e.GITHUB_API_URL).toBe("https://ghe.example.com/api/v3");
  });
});
