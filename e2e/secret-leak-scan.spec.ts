import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { recordedBodyText, type RecordedResponse } from "./recording-proxy";

// The run's canary is the GitHub App private key made by the global setup
// (TEST_GITHUB_APP_PEM): every spec submits it. This spec is the `teardown`
// project of playwright.config.ts, so it runs after all the others, whichever
// were picked and whether or not they passed, and scans what the run left:
//   - every log line the portal wrote (all *.log files of the run directory),
//   - every response the portal sent, as recorded by the proxy in front of it
//     (responses*.jsonl of the run directory),
//   - every client bundle of the production build (.next/static/**/*.js).
// None may hold a PEM block of a private key, nor any part of the canary; logs and
// responses may hold no GitHub token either (sign-in tokens, installation tokens).

const root = path.resolve(import.meta.dirname, "..");

/** A private-key PEM with a body, raw or inside JSON (escaped line ends). */
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:\s|\\[nr])*[A-Za-z0-9+/]{16,}/;

const PIECE = 12;

/**
 * Pieces of the key that any leak of 24 characters or more must contain, in
 * every textual form the key could take: base64 of its DER at each of the
 * three byte alignments (so PKCS#8 or re-wrapped copies are caught too), the
 * same in base64url, and hex. Aligned 12-character pieces: any 24-character
 * window of those encodings holds at least one whole piece. The first 12
 * bytes of the DER (the structure's header, the same for every 2048-bit RSA
 * key) are left out, so that another key is not mistaken for the canary.
 */
function canaryPieces(pem: string): string[] {
  const der = createPrivateKey(pem).export({ type: "pkcs1", format: "der" }).subarray(12);
  const encodings: string[] = [der.toString("hex")];
  for (let shift = 0; shift < 3; shift++) {
    // A prefix of 0-2 bytes moves the key to every position within base64's 3-byte groups;
    // drop the first 4 characters, which depend on the prefix.
    const b64 = Buffer.concat([Buffer.alloc(shift), der]).toString("base64").slice(4);
    encodings.push(b64, b64.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  const pieces = new Set<string>();
  for (const e of encodings) for (let i = 0; i + PIECE <= e.length; i += PIECE) pieces.add(e.slice(i, i + PIECE));
  return [...pieces];
}

interface Finding {
  where: string;
  what: string;
}

function scan(where: string, text: string, pieces: string[]): Finding[] {
  const found: Finding[] = [];
  const pem = PEM_BLOCK.exec(text);
  if (pem) found.push({ where, what: `a private-key PEM block at offset ${pem.index}` });
  const piece = pieces.find((p) => text.includes(p));
  if (piece) found.push({ where, what: `a piece of the canary key at offset ${text.indexOf(piece)}` });
  return found;
}

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => path.join(dir, f))
    .filter((f) => pattern.test(f) && statSync(f).isFile());
}

/** Every response of the run: the suite's portal, and any other portal a spec started behind a recording proxy of its own. */
function recordedResponses(): RecordedResponse[] {
  const files = filesUnder(process.env.E2E_RUN_DIR!, /\.jsonl$/);
  expect(files).toContain(process.env.E2E_RESPONSES);
  return files.flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as RecordedResponse),
  );
}

const pem = () => {
  const key = process.env.TEST_GITHUB_APP_PEM;
  if (!key) throw new Error("TEST_GITHUB_APP_PEM is not set: the global setup makes the run's canary key");
  return key;
};

test("the scanner finds the canary however it is written", () => {
  const key = pem();
  const pieces = canaryPieces(key);
  const body = key.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  const pkcs8 = createPrivateKey(key).export({ type: "pkcs8", format: "pem" }).toString();
  const samples = {
    "the PEM itself": key,
    "the PEM in JSON": JSON.stringify({ privateKey: key }),
    "24 characters of its body": `x${body.slice(700, 724)}x`,
    "its PKCS#8 form without the header": pkcs8.split("\n").slice(3, 5).join(""),
    "its DER in hex": createPrivateKey(key).export({ type: "pkcs1", format: "der" }).toString("hex").slice(300, 348),
  };
  for (const [name, text] of Object.entries(samples)) expect(scan(name, text, pieces), name).not.toEqual([]);
  expect(scan("a form placeholder", 'placeholder="-----BEGIN RSA PRIVATE KEY-----"', pieces)).toEqual([]);
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  expect(scan("another key's body", other.replace(/-----[^-]+-----/g, ""), pieces)).toEqual([]);
});

test("no server log line holds a private key or any part of the canary", () => {
  const runDir = process.env.E2E_RUN_DIR!;
  const logs = filesUnder(runDir, /\.log$/);
  expect(logs).toContain(process.env.E2E_PORTAL_LOG);
  const pieces = canaryPieces(pem());
  const findings: Finding[] = [];
  let lines = 0;
  for (const file of logs) {
    const text = readFileSync(file, "utf8");
    lines += text.split("\n").length;
    findings.push(...scan(path.relative(root, file), text, pieces));
  }
  expect(lines).toBeGreaterThan(1);
  expect(findings).toEqual([]);
});

test("no HTTP response of the whole run holds a private key or any part of the canary", () => {
  const records = recordedResponses();
  const pieces = canaryPieces(pem());
  const findings: Finding[] = [];
  for (const r of records) {
    const where = `${r.method} ${r.url} → ${r.status}`;
    findings.push(...scan(`${where} (headers)`, JSON.stringify(r.headers), pieces));
    findings.push(...scan(where, recordedBodyText(r), pieces));
  }
  expect(findings).toEqual([]);
  // The recording saw the run (every spec talks to the portal through the proxy).
  expect(records.length).toBeGreaterThan(0);
  const kinds = new Map<string, number>();
  for (const r of records) {
    const kind = String(r.headers["content-type"] ?? "none").split(";")[0]!;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  console.log(`[secret-leak-scan] ${records.length} responses scanned: ${JSON.stringify(Object.fromEntries(kinds))}`);
});

// GitHub's token formats: OAuth (gho_), installation (ghs_), user-to-server (ghu_), PAT (ghp_).
const GITHUB_TOKEN = /\bgh[opsu]_[A-Za-z0-9]{36}\b/;

test("no server log line and no HTTP response holds a GitHub token (sign-in or installation)", () => {
  expect(GITHUB_TOKEN.test(`x ghs_${"a1B2".repeat(9)} x`)).toBe(true);
  const texts: [string, string][] = [
    ...filesUnder(process.env.E2E_RUN_DIR!, /\.log$/).map((f): [string, string] => [path.relative(root, f), readFileSync(f, "utf8")]),
    ...recordedResponses().map((r): [string, string] => [`${r.method} ${r.url} → ${r.status}`, `${JSON.stringify(r.headers)}\n${recordedBodyText(r)}`]),
  ];
  const findings = texts.flatMap(([where, text]) => {
    const m = GITHUB_TOKEN.exec(text);
    return m ? [{ where, what: `a GitHub token (${m[0].slice(0, 4)}…) at offset ${m.index}` }] : [];
  });
  expect(texts.length).toBeGreaterThan(1);
  expect(findings).toEqual([]);
});

test("no client bundle of the production build holds a private key or any part of the canary", () => {
  const bundles = filesUnder(path.join(root, ".next/static"), /\.js$/);
  expect(bundles.length).toBeGreaterThan(0);
  const pieces = canaryPieces(pem());
  const findings = bundles.flatMap((f) => scan(path.relative(root, f), readFileSync(f, "utf8"), pieces));
  expect(findings).toEqual([]);
});
