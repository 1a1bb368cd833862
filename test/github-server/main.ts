// CLI: run the fake GitHub as its own process (e.g. for Playwright's webServer).
//
//   tsx test/github-server/main.ts [port] [seed.json]
//   GITHUB_FAKE_PORT=4010 GITHUB_FAKE_SEED=e2e/github-seed.json tsx test/github-server/main.ts
//   tsx test/github-server/main.ts --port 4010 --seed e2e/github-seed.json
//
// Logs one line per request to stdout. Control it over HTTP at /_fake/*
// (see README.md next to this file). Stops on SIGINT/SIGTERM.
import { loadSeedFile, type SeedFixture } from "./fixture";
import { startGitHubServer } from "./server";

function parseArgs(argv: string[]): { port: number; seed: string | null } {
  let port = process.env.GITHUB_FAKE_PORT ? Number(process.env.GITHUB_FAKE_PORT) : 0;
  let seed = process.env.GITHUB_FAKE_SEED ?? null;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.split("=", 2) as [string, string | undefined];
    if (flag === "--port") port = Number(inline ?? argv[++i]);
    else if (flag === "--seed") seed = inline ?? argv[++i] ?? null;
    else positional.push(arg);
  }
  for (const p of positional) {
    if (/^\d+$/.test(p)) port = Number(p);
    else seed = p;
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port "${port}" (use GITHUB_FAKE_PORT, --port N, or a numeric argument)`);
  }
  return { port, seed };
}

async function main(): Promise<void> {
  const { port, seed } = parseArgs(process.argv.slice(2));
  const loaded = seed ? loadSeedFile(seed) : null;
  const server = await startGitHubServer({
    port,
    seed: loaded?.fixture as SeedFixture | undefined,
    seedBaseDir: loaded?.baseDir,
    log: true,
  });
  process.stdout.write(
    `github-fake listening on ${server.url} (REST also at ${server.apiUrl})${seed ? `, seeded from ${seed}` : ""}\n`,
  );
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`github-fake: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
