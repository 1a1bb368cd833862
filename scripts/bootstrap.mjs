// Entry point of `npm start` and `npm test`. Runs on whatever Node the machine
// has (18+), installs what is missing, then hands over to the project's own
// Node 24 from node_modules (the `node` package), which the portal needs.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "node_modules/.bin");
const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };

const hashOf = (...files) => {
  const h = createHash("sha256");
  for (const f of files) h.update(readFileSync(path.join(root, f)));
  return h.digest("hex");
};

function step(label, cmd, args, extraEnv = {}) {
  console.log(`[bootstrap] ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  if (r.status !== 0) {
    console.error(`[bootstrap] failed: ${cmd} ${args.join(" ")}`);
    process.exit(r.status ?? 1);
  }
}

function once(stampName, inputs, label, cmd, args, extraEnv) {
  const stamp = path.join(root, "node_modules", `.arc-portal-${stampName}`);
  const want = hashOf(...inputs);
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return;
  step(label, cmd, args, extraEnv);
  writeFileSync(stamp, want);
}

once("install", ["package-lock.json"], "installing dependencies (npm ci)", "npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
once("generate", ["prisma/schema.prisma", "package-lock.json"], "generating the Prisma client", path.join(bin, "prisma"), ["generate"], {
  // `prisma generate` never runs the schema engine but insists it exists;
  // without this it tries to download one from Prisma's servers.
  PRISMA_SCHEMA_ENGINE_BINARY: path.join(bin, "node"),
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
});

const [command, ...rest] = process.argv.slice(2);
const child = spawn(path.join(bin, "node"), [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, `scripts/${command}.ts`), ...rest], {
  cwd: root,
  stdio: "inherit",
  env,
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
