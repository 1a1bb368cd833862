import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Secrets for a local run, made once and kept in .data/ (git-ignored), so
 * sessions and encrypted keys survive restarts. Deployments set their own.
 */
export function localSecrets(dataDir: string): { NEXTAUTH_SECRET: string; ENCRYPTION_KEY: string } {
  const file = path.join(dataDir, "local-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const secrets = {
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
