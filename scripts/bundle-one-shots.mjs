// Bundles the one-shot commands into self-contained ES modules for the container image,
// which has Next's standalone server but neither tsx nor the full node_modules:
//   node scripts/bundle-one-shots.mjs OUTDIR  ->  OUTDIR/migrate.mjs, OUTDIR/rotate-encryption-key.mjs
// esbuild comes with the dev dependencies (through tsx and vite); pg is bundled in.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.resolve(process.argv[2] ?? path.join(root, ".cache/one-shots"));

await build({
  absWorkingDir: root,
  entryPoints: { migrate: "scripts/migrate.ts", "rotate-encryption-key": "scripts/rotate-encryption-key.ts" },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  // pg loads its optional native binding only when asked to.
  external: ["pg-native"],
  // pg is CommonJS: give its require() calls of Node built-ins a real require.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  logLevel: "warning",
});
console.log(`[bundle-one-shots] wrote migrate.mjs and rotate-encryption-key.mjs to ${outdir}`);
