import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const APP = path.resolve(import.meta.dirname, "../app");

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

const toUrl = (file: string) =>
  "/" +
  path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((seg) => !/^\(.*\)$/.test(seg))
    .join("/");

/** Every route handler in app/, as "METHOD /path/[param]", read from the code itself. */
export function routeHandlers(): string[] {
  return walk(APP)
    .filter((f) => /\/route\.tsx?$/.test(f))
    .flatMap((f) => {
      const src = readFileSync(f, "utf8");
      const methods = new Set<string>();
      for (const m of src.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
      for (const m of src.matchAll(/export\s*\{([^}]*)\}/g))
        for (const part of m[1]!.matchAll(/as\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(part[1]!);
      return [...methods].map((method) => `${method} ${toUrl(f)}`);
    })
    .sort();
}

/** Every page in app/, as "/path/[param]". */
export function pages(): string[] {
  return walk(APP)
    .filter((f) => /\/page\.tsx$/.test(f))
    .map(toUrl)
    .map((u) => (u === "/" ? "/" : u))
    .sort();
}
