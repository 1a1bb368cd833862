import { generateKeyPairSync, randomBytes } from "node:crypto";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { expect, prisma, requestBody, test, type SeededUser } from "./fixtures";

// The bad-input corpus: a few hundred malformed submissions, generated from
// the tables below, sent through the portal's real HTTP interface by people
// who would be allowed to make the call with a good body. Every answer must be
// a 4xx with a JSON `error` a person can read (no stack, no file path), and
// the database must hold exactly what it held before.

const BASE_URL = `http://localhost:${process.env.E2E_PORT}`;
const RUN = randomBytes(3).toString("hex");
const TEAM = `bad-input-${RUN}`;
let seq = 0;
const freshLabel = () => `bad-${RUN}-${++seq}`;

// ---------------------------------------------------------------- bodies

type Json = unknown;

function valid(label = freshLabel()): Record<string, Json> {
  return requestBody({ team: TEAM, label, contact: "@bad-input", namespace: `ns-${label}` }) as Record<string, Json>;
}

/** A valid submission with one field replaced (dotted path into githubApp), or removed with `undefined`. */
function withField(path: string, value: Json): Record<string, Json> {
  const body = valid();
  const [head, sub] = path.split(".") as [string, string | undefined];
  if (sub) body[head] = { ...(body[head] as object), [sub]: value };
  else body[head] = value;
  return body;
}

const draftOf = (body: Record<string, Json>) => ({ ...body, intent: "save" });

// ---------------------------------------------------------------- keys

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ed = generateKeyPairSync("ed25519");
const dsa = generateKeyPairSync("dsa", { modulusLength: 1024, divisorLength: 160 });
const pkcs1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const pemBody = (pem: string) => pem.split("\n").filter((l) => l && !l.startsWith("-----"));

const BAD_PEMS: Record<string, string> = {
  "truncated in the middle": pkcs1.split("\n").slice(0, 12).join("\n") + "\n-----END RSA PRIVATE KEY-----\n",
  "truncated, no END line": pkcs1.split("\n").slice(0, 20).join("\n"),
  "truncated by one base64 character": pkcs1.replace(/.\n-----END/, "\n-----END"),
  "only the BEGIN line": "-----BEGIN RSA PRIVATE KEY-----",
  "encrypted PKCS#8": rsa.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "canary" }).toString(),
  "encrypted PKCS#1 (Proc-Type)": rsa.privateKey.export({ type: "pkcs1", format: "pem", cipher: "aes-256-cbc", passphrase: "canary" }).toString(),
  "EC key, SEC1": ec.privateKey.export({ type: "sec1", format: "pem" }).toString(),
  "EC key, PKCS#8": ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  "Ed25519 key, PKCS#8": ed.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  "DSA key, PKCS#8": dsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  "DSA-like junk": `-----BEGIN DSA PRIVATE KEY-----\n${randomBytes(300).toString("base64")}\n-----END DSA PRIVATE KEY-----\n`,
  "RSA public key (SPKI)": rsa.publicKey.export({ type: "spki", format: "pem" }).toString(),
  "RSA public key (PKCS#1)": rsa.publicKey.export({ type: "pkcs1", format: "pem" }).toString(),
  "certificate-shaped junk": `-----BEGIN CERTIFICATE-----\n${randomBytes(300).toString("base64")}\n-----END CERTIFICATE-----\n`,
  "OpenSSH header": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n",
  "RSA 1024 bits": small.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  "two keys": pkcs1 + pkcs1,
  "text before BEGIN": `my key:\n${pkcs1}`,
  "BEGIN/END mismatch": pkcs1.replace("-----END RSA PRIVATE KEY-----", "-----END PRIVATE KEY-----"),
  "body not base64": `-----BEGIN RSA PRIVATE KEY-----\n${"not*base64!".repeat(20)}\n-----END RSA PRIVATE KEY-----\n`,
  "random DER in an RSA header": `-----BEGIN RSA PRIVATE KEY-----\n${Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), randomBytes(256)]).toString("base64")}\n-----END RSA PRIVATE KEY-----\n`,
  "RSA public key bytes in a private header": `-----BEGIN RSA PRIVATE KEY-----\n${pemBody(rsa.publicKey.export({ type: "pkcs1", format: "pem" }).toString()).join("\n")}\n-----END RSA PRIVATE KEY-----\n`,
  "20 KB": `-----BEGIN RSA PRIVATE KEY-----\n${"A".repeat(20_000)}\n-----END RSA PRIVATE KEY-----\n`,
  "NUL inside": pkcs1.replace("\n", "\n\u0000"),
  "shell injection": "$(cat /etc/passwd)",
  "empty": "",
};

// ---------------------------------------------------------------- strings

const UNICODE_TRICKS: Record<string, string> = {
  "RTL override": "team\u202Eexe.txt",
  "zero-width space": "te\u200Bam",
  "zero-width joiner": "te\u200Dam",
  "BOM inside": "te\uFEFFam",
  "Cyrillic homoglyph among Latin": "r\u043Ecm-gpu",
  "Greek homoglyph among Latin": "r\u03BFcm",
  "full-width letters": "\uFF52\uFF4F\uFF43\uFF4D",
  "NUL": "team\u0000x",
  "lone high surrogate": "team\uD800",
  "lone low surrogate": "\uDC00team",
  "line separator": "team\u2028x",
  "bidi isolate": "team\u2067x\u2069",
  "combining overload": `t${"\u0301".repeat(200)}`,
  "tag characters": "team\u{E0041}",
};

const YAML_AND_SHELL: string[] = [
  "a: b",
  "- item",
  "&anchor",
  "*alias",
  "!!python/object:os.system",
  "{a: 1}",
  "[x]",
  "# comment",
  "|",
  "> folded",
  "%YAML 1.2",
  "team\nnext: value",
  "$(id)",
  "`id`",
  "x; rm -rf /",
  "x && curl evil",
  "x | sh",
  "${HOME}",
  "{{ .Values.secret }}",
  "x > /etc/passwd",
];

const SQL: string[] = [
  "x' OR '1'='1",
  "x'; DROP TABLE \"RunnerRequest\";--",
  "1; SELECT pg_sleep(10)--",
  "x\") UNION SELECT * FROM \"Session\"--",
  "x' /*",
  "$1",
];

// ---------------------------------------------------------------- the table

type Persona = "requester" | "reviewer";
type Endpoint = "submit" | "put" | "action" | "check" | "review";

interface Case {
  name: string;
  endpoint: Endpoint;
  method: "GET" | "POST" | "PUT";
  path: string;
  as: Persona;
  /** A JSON value (sent as application/json), or raw bytes with their own headers. */
  json?: Json;
  raw?: { body: Buffer | string; headers: Record<string, string>; chunked?: boolean };
  status?: number | number[];
  /** A word the answer must contain. */
  says?: RegExp;
}

const FIELDS_WRONG: Record<string, Json[]> = {
  team: [42, true, [], {}, null, ["rocm"], "", " ", "x".repeat(65)],
  contact: [42, false, [], {}, null, "", "not an address", "a@b", "@"],
  githubConfigUrl: [42, true, [], {}, null, "", "github.com/e2e-org", "http://github.com/e2e-org", "https://evil.example/e2e-org", "https://user:pw@github.com/e2e-org", "https://github.com/e2e-org?x=1", "javascript:alert(1)", "file:///etc/passwd"],
  label: [42, true, [], {}, null, "", "UPPER", "under_score", "-dash", "x".repeat(46)],
  namespace: [42, true, [], {}, null, "", "kube-system", "default", "Name Space", "x".repeat(64)],
  memory: [42, true, [], {}, null, "", "8", "8m", "lots", "-8Gi", "512Mi", "5Ti", "8Gi8Gi"],
  cpu: [true, [], {}, null, "", -1, 0, "0.01", "1.2345", "300", "two", "1e3"],
  gpus: ["1", true, [], {}, null, 1.5, -1, 9, 9007199254740993],
  minRunners: ["0", true, [], {}, null, 0.5, -1, 21],
  maxRunners: ["2", true, [], {}, null, 1.5, 0, 21, 1e20],
  docker: ["true", "yes", 1, 0, null, [], {}],
  image: [42, true, [], {}, null, "ghcr.io/Org/Image", "image:tag with space", "x".repeat(600)],
  githubApp: ["x", 42, [], null, true],
  "githubApp.appId": [true, [], {}, null, "", 0, -5, 1.5, "Iv1.short", "12ab"],
  "githubApp.installationId": [true, [], {}, null, "", 0, -1, 1.5, "1e3", "99999999999999999999", "0x10"],
  "githubApp.privateKey": [42, true, [], {}, null],
};

/** Bodies no endpoint accepts, at the level of the whole request. */
const WHOLE_BODY: Record<string, { raw: string | Buffer }> = {
  "JSON null": { raw: "null" },
  "JSON array": { raw: "[]" },
  "JSON string": { raw: '"hello"' },
  "JSON number": { raw: "42" },
  "JSON true": { raw: "true" },
  "empty object": { raw: "{}" },
  "invalid JSON": { raw: "{" },
  "empty body": { raw: "" },
  "trailing garbage": { raw: "{} x" },
  "JSON with comments": { raw: '{/* c */ "team": "x"}' },
  "single quotes": { raw: "{'team': 'x'}" },
  "deeply nested": { raw: "[".repeat(50_000) + "]".repeat(50_000) },
  "number out of range": { raw: '{"gpus": 1e999, "maxRunners": -1e999}' },
  "__proto__ pollution": { raw: '{"__proto__": {"role": "ADMIN", "isAdmin": true}, "constructor": {"prototype": {"x": 1}}}' },
  "invalid UTF-8 bytes": { raw: Buffer.concat([Buffer.from('{"team": "'), Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80, 0xff]), Buffer.from('"}')]) },
};

const OVERSIZE = 1024 * 1024 + 1024;
const big = (): Buffer => Buffer.from(JSON.stringify({ ...valid(), team: "x".repeat(OVERSIZE) }));

interface Targets {
  draftId: string;
  submittedId: string;
  replayBody: Record<string, Json>;
}

function corpus(t: Targets): Case[] {
  const cases: Case[] = [];
  const submit = (name: string, json: Json, extra: Partial<Case> = {}) =>
    cases.push({ name: `submit: ${name}`, endpoint: "submit", method: "POST", path: "/api/requests", as: "requester", json, ...extra });
  const put = (name: string, json: Json, extra: Partial<Case> = {}) =>
    cases.push({ name: `edit: ${name}`, endpoint: "put", method: "PUT", path: `/api/requests/${t.draftId}`, as: "requester", json, ...extra });
  const action = (name: string, json: Json, extra: Partial<Case> = {}) =>
    cases.push({ name: `action: ${name}`, endpoint: "action", method: "POST", path: `/api/requests/${t.submittedId}/actions`, as: "reviewer", json, ...extra });
  const check = (name: string, json: Json, extra: Partial<Case> = {}) =>
    cases.push({ name: `check: ${name}`, endpoint: "check", method: "POST", path: "/api/github/check", as: "requester", json, ...extra });
  const review = (name: string, query: string) =>
    cases.push({ name: `review queue: ${name}`, endpoint: "review", method: "GET", path: `/api/review?${query}`, as: "reviewer", status: 400 });

  // Wrong types and values for every field: on submission, and on saving the draft.
  for (const [field, values] of Object.entries(FIELDS_WRONG))
    for (const v of values) {
      const shown = JSON.stringify(v)?.slice(0, 30) ?? "undefined";
      submit(`${field} = ${shown}`, withField(field, v), { status: 422 });
      if (!field.startsWith("githubApp"))
        put(`${field} = ${shown}`, draftOf(withField(field, v)), { status: 422 });
    }
  submit("missing githubApp", withField("githubApp", undefined), { status: 422 });
  submit("privateKey missing", withField("githubApp.privateKey", undefined), { status: 422 });
  submit("minRunners above maxRunners", { ...valid(), minRunners: 3, maxRunners: 2 }, { status: 422 });

  // Unicode tricks in every name a person types.
  for (const [trick, s] of Object.entries(UNICODE_TRICKS)) {
    submit(`team with ${trick}`, withField("team", s), { status: 422 });
    submit(`label with ${trick}`, withField("label", s.toLowerCase()), { status: 422 });
    submit(`namespace with ${trick}`, withField("namespace", `ns-${s.toLowerCase()}`), { status: 422 });
    submit(`contact with ${trick}`, withField("contact", `${s}@example.com`), { status: 422 });
  }
  put("team renamed with a homoglyph", draftOf(withField("team", TEAM.replace("a", "\u0430"))), { status: 422 });

  // YAML and shell metacharacters, and SQL, where they could end up in a values file or a query.
  for (const s of YAML_AND_SHELL) {
    submit(`team ${JSON.stringify(s)}`, withField("team", s), { status: 422 });
    submit(`label ${JSON.stringify(s)}`, withField("label", s), { status: 422 });
    submit(`image ${JSON.stringify(s)}`, withField("image", `ghcr.io/x/y:${s}`), { status: 422 });
  }
  submit("memory with a YAML tail", withField("memory", "8Gi\nextra: true"), { status: 422 });
  submit("cpu with a shell tail", withField("cpu", "2 && id"), { status: 422 });
  for (const s of SQL) {
    submit(`team ${JSON.stringify(s)}`, withField("team", s), { status: 422 });
    submit(`namespace ${JSON.stringify(s)}`, withField("namespace", s), { status: 422 });
    submit(`contact ${JSON.stringify(s)}`, withField("contact", `${s}@example.com`), { status: 422 });
    review(`status ${JSON.stringify(s)}`, `status=${encodeURIComponent(s)}`);
    review(`team ${JSON.stringify(s)}`, `team=${encodeURIComponent(s)}`);
    cases.push({ name: `get: id ${JSON.stringify(s)}`, endpoint: "put", method: "GET", path: `/api/requests/${encodeURIComponent(s)}`, as: "requester", status: 404 });
  }

  // Private keys that are not a usable GitHub App key, wherever a key is accepted.
  for (const [name, pem] of Object.entries(BAD_PEMS)) {
    submit(`private key: ${name}`, withField("githubApp.privateKey", pem), { status: 422 });
    check(`private key: ${name}`, { githubConfigUrl: "https://github.com/e2e-org", githubApp: { ...(valid().githubApp as object), privateKey: pem } }, { status: 422 });
    if (pem) put(`private key: ${name}`, draftOf(withField("githubApp.privateKey", pem)), { status: 422 });
  }
  for (const [field, values] of Object.entries({ githubConfigUrl: [42, "", "https://evil.example/x"], githubApp: [null, "x", []] }))
    for (const v of values)
      check(`${field} = ${JSON.stringify(v)}`, { githubConfigUrl: "https://github.com/e2e-org", githubApp: valid().githubApp, [field]: v }, { status: 422 });

  // Whole bodies that are not a request at all, on every endpoint that reads one.
  for (const [name, { raw }] of Object.entries(WHOLE_BODY)) {
    const headers = { "content-type": "application/json" };
    submit(`body ${name}`, undefined, { raw: { body: raw, headers }, status: [400, 422] });
    put(`body ${name}`, undefined, { raw: { body: raw, headers }, status: [400, 422] });
    action(`body ${name}`, undefined, { raw: { body: raw, headers }, status: [400, 422] });
    check(`body ${name}`, undefined, { raw: { body: raw, headers }, status: [400, 422] });
  }

  // Not JSON: cross-site form posts (403 from the gate's Origin check) and other content types (415)
  // are refused before anything is read.
  const crossSite = { origin: "https://evil.example", referer: "https://evil.example/form.html" };
  const NOT_JSON: Record<string, { body: string; headers: Record<string, string> }> = {
    "cross-site form post": { body: "team=x&label=y&action=approve", headers: { ...crossSite, "content-type": "application/x-www-form-urlencoded" } },
    "cross-site multipart post": { body: '--b\r\ncontent-disposition: form-data; name="action"\r\n\r\napprove\r\n--b--\r\n', headers: { ...crossSite, "content-type": "multipart/form-data; boundary=b" } },
    "cross-site text/plain JSON": { body: JSON.stringify({ action: "approve", ...valid() }), headers: { ...crossSite, "content-type": "text/plain" } },
    "XML": { body: "<request><action>approve</action></request>", headers: { "content-type": "application/xml" } },
    "no content type": { body: JSON.stringify({ action: "approve", ...valid() }), headers: {} },
    "JSON in UTF-16": { body: Buffer.from(`\uFEFF${JSON.stringify({ action: "approve" })}`, "utf16le").toString("latin1"), headers: { "content-type": "application/json; charset=utf-16" } },
  };
  for (const [name, raw] of Object.entries(NOT_JSON)) {
    const status = name.startsWith("cross-site") ? 403 : name === "JSON in UTF-16" ? [400, 415] : 415;
    submit(name, undefined, { raw, status });
    put(name, undefined, { raw, status });
    action(name, undefined, { raw, status });
    check(name, undefined, { raw, status });
  }

  // A JSON or bodiless post another site's page made the browser send: the gate refuses it whatever the body.
  const crossSiteJson = { body: JSON.stringify({ action: "approve" }), headers: { ...crossSite, "sec-fetch-site": "cross-site", "content-type": "application/json" } };
  action("cross-site JSON post", undefined, { raw: crossSiteJson, status: 403 });
  check("cross-site bodiless post", undefined, { raw: { body: "", headers: { "sec-fetch-site": "cross-site" } }, status: 403 });

  // Oversize bodies: declared up front, and streamed without a length.
  for (const chunked of [false, true]) {
    const how = chunked ? "chunked" : "with content-length";
    const headers = { "content-type": "application/json" };
    submit(`over 1 MiB, ${how}`, undefined, { raw: { body: big(), headers, chunked }, status: 413 });
    put(`over 1 MiB, ${how}`, undefined, { raw: { body: big(), headers, chunked }, status: 413 });
    action(`over 1 MiB, ${how}`, undefined, { raw: { body: Buffer.from(JSON.stringify({ action: "reject", reason: "x".repeat(OVERSIZE) })), headers, chunked }, status: 413 });
    check(`over 1 MiB, ${how}`, undefined, { raw: { body: big(), headers, chunked }, status: 413 });
  }
  submit("a 1 MB team name inside a small-enough body", withField("team", "t".repeat(900_000)), { status: 422 });

  // Actions that a reviewer may take on this request, with a broken body.
  const ACTIONS: Record<string, Json> = {
    "unknown action": { action: "delete" },
    "no action": { reason: "x" },
    "action of the wrong type": { action: 42 },
    "action in capitals": { action: "APPROVE" },
    "reason of the wrong type": { action: "reject", reason: 42 },
    "reason too long": { action: "reject", reason: "x".repeat(2001) },
    "reject without a reason": { action: "reject" },
    "reject with a blank reason": { action: "reject", reason: "   " },
    "reason with NUL": { action: "reject", reason: "spam\u0000" },
    "reason with a lone surrogate": { action: "reject", reason: "spam \uD800" },
    "version as text": { action: "approve", version: "1" },
    "version fractional": { action: "approve", version: 1.5 },
    "version huge": { action: "approve", version: 1e20 },
    "stale version": { action: "approve", version: 99 },
    "adjustments not an object": { action: "approve", adjustments: "more" },
    "adjustments with an unknown field": { action: "approve", adjustments: { gpus: 8 } },
    "adjustments with a wrong type": { action: "approve", adjustments: { maxRunners: "3" } },
    "adjusted namespace kube-system": { action: "approve", adjustments: { namespace: "kube-system" } },
    "adjusted namespace with SQL": { action: "approve", adjustments: { namespace: "x' OR '1'='1" } },
    "adjusted maxRunners over the ceiling": { action: "approve", adjustments: { maxRunners: 9999 } },
    "adjusted maxRunners zero": { action: "approve", adjustments: { maxRunners: 0 } },
    "adjustments with a reject": { action: "reject", reason: "no", adjustments: { maxRunners: 1 } },
    "a team action by a reviewer": { action: "withdraw" },
    "retry a submitted request": { action: "retry" },
  };
  for (const [name, json] of Object.entries(ACTIONS)) action(name, json, { status: [400, 403, 409, 422] });

  // Edits with a broken envelope.
  put("intent unknown", { ...valid(), team: TEAM, intent: "publish" }, { status: 422 });
  put("version as text", { ...draftOf(valid()), version: "1" }, { status: 422 });
  put("version beyond 32 bits", { ...draftOf(valid()), version: 2 ** 31 }, { status: [409, 422] });
  put("version huge", { ...draftOf(valid()), version: 1e20 }, { status: [409, 422] });
  put("version negative", { ...draftOf(valid()), version: -1 }, { status: [409, 422] });
  put("team changed", draftOf(withField("team", `${TEAM}-other`)), { status: 422 });

  // Unknown ids: never there, or not an id at all.
  const UNKNOWN_IDS = ["clunknown000000000000000", "0", "-1", "a%2Fb", "%2Fetc%2Fpasswd", "x".repeat(5000), "%00", "a%00b", "%E2%80%AE", "%F0%9F%92%A5", "null", "undefined", "%27%20OR%201%3D1--"];
  for (const id of UNKNOWN_IDS) {
    const short = id.length > 30 ? `${id.slice(0, 10)}… (${id.length})` : id;
    cases.push({ name: `edit: unknown id ${short}`, endpoint: "put", method: "PUT", path: `/api/requests/${id}`, as: "requester", json: draftOf(valid()), status: 404 });
    cases.push({ name: `action: unknown id ${short}`, endpoint: "action", method: "POST", path: `/api/requests/${id}/actions`, as: "reviewer", json: { action: "approve" }, status: 404 });
  }

  // The review queue's filters.
  for (const q of ["status=bogus", "status=", "status=submitted", "status=SUBMITTED%00", "status=%E2%80%AESUBMITTED", "team=UPPER", "team=..%2F..", `team=${"x".repeat(64)}`, "team=a%20b", "status=ALL&status=nope"]) review(q, q);

  // A replayed submission: the same valid post again is refused for its label, not stored twice.
  submit("replay of an accepted submission", t.replayBody, { status: 409, says: /already/ });
  submit("replay with the label in capitals", { ...t.replayBody, label: String(t.replayBody.label).toUpperCase() }, { status: 422 });

  return cases;
}

// ---------------------------------------------------------------- the run

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Sends a case and reads the answer; node's fetch for bodies Playwright would rewrite. */
async function send(api: APIRequestContext, cookie: string, c: Case): Promise<Answer> {
  const url = `${BASE_URL}${c.path}`;
  if (c.raw && (c.raw.chunked || !c.raw.headers["content-type"])) {
    const bytes = typeof c.raw.body === "string" ? Buffer.from(c.raw.body, "latin1") : c.raw.body;
    const body = c.raw.chunked
      ? new ReadableStream({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
            controller.close();
          },
        })
      : bytes;
    const res = await fetch(url, { method: c.method, headers: { ...c.raw.headers, cookie }, body, duplex: "half" } as RequestInit);
    return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
  }
  const data = c.raw
    ? typeof c.raw.body === "string"
      ? Buffer.from(c.raw.body, "latin1")
      : c.raw.body
    : c.json === undefined
      ? undefined
      : Buffer.from(JSON.stringify(c.json));
  const headers: Record<string, string> = c.raw ? { ...c.raw.headers } : c.json === undefined ? {} : { "content-type": "application/json" };
  const res = await api.fetch(url, { method: c.method, headers: { ...headers, cookie }, data, maxRedirects: 0, failOnStatusCode: false });
  return { status: res.status(), contentType: res.headers()["content-type"] ?? "", text: await res.text() };
}

/** What is wrong with an answer, or nothing. */
function problems(c: Case, a: Answer): string[] {
  const out: string[] = [];
  const want = c.status === undefined ? undefined : [c.status].flat();
  if (a.status < 400 || a.status > 499) out.push(`status ${a.status}, not a 4xx`);
  else if (want && !want.includes(a.status)) out.push(`status ${a.status}, expected ${want.join(" or ")}`);
  if (!/^application\/json/.test(a.contentType)) out.push(`content-type ${a.contentType || "(none)"}, not JSON`);
  let json: { error?: unknown; fieldErrors?: unknown } | undefined;
  try {
    json = JSON.parse(a.text);
  } catch {
    out.push(`body is not JSON: ${a.text.slice(0, 120)}`);
  }
  if (json && (typeof json.error !== "string" || json.error.trim() === "")) out.push(`no error message: ${a.text.slice(0, 120)}`);
  if (/\n\s+at |\bat [\w.<>]+ \(/.test(a.text)) out.push("the answer holds a stack trace");
  if (/(\/work\/|\/home\/|\/tmp\/|node_modules|file:\/\/|\.tsx?:\d|\.m?js:\d)/.test(a.text)) out.push("the answer holds a file path");
  if (/prisma|postgres|SQLSTATE|invalid byte sequence|ECONN/i.test(a.text)) out.push("the answer holds database internals");
  if (c.says && !c.says.test(a.text)) out.push(`the answer does not say ${c.says}: ${a.text.slice(0, 200)}`);
  return out;
}

/** Every row of the tables a bad request could touch, in a stable order. */
async function snapshot() {
  const [requests, events, claims, teams, memberships] = await Promise.all([
    prisma.runnerRequest.findMany({ orderBy: { id: "asc" } }),
    prisma.requestEvent.findMany({ orderBy: { id: "asc" } }),
    prisma.labelClaim.findMany({ orderBy: { requestId: "asc" } }),
    prisma.team.findMany({ orderBy: { id: "asc" } }),
    prisma.teamMembership.findMany({ orderBy: [{ teamId: "asc" }, { userId: "asc" }] }),
  ]);
  const rows = { RunnerRequest: requests, RequestEvent: events, LabelClaim: claims, Team: teams, TeamMembership: memberships };
  return {
    counts: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.length])),
    contents: JSON.parse(JSON.stringify(rows)) as Record<string, unknown[]>,
  };
}

async function sessionCookie(user: SeededUser): Promise<string> {
  const token = randomBytes(32).toString("hex");
  await prisma.session.create({ data: { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 3_600_000) } });
  return `next-auth.session-token=${token}`;
}

// Per-user limits (lib/rate-limit.ts): 60 submissions an hour, 20 GitHub checks in 10 minutes.
// The corpus is spread over enough team members to stay under both, so that every answer
// is about the input; the limit itself is tested by test/requests/rate-limit.test.ts.
const BUDGET: Partial<Record<Endpoint, number>> = { submit: 55, check: 18 };

test("hundreds of malformed submissions: each a 4xx with a message, none a 5xx, and the database unchanged", async ({ users }) => {
  test.setTimeout(300_000);
  const api = await playwrightRequest.newContext();
  const members: string[] = [];
  for (let i = 0; i < 14; i++) members.push(await sessionCookie(await users.create({ team: TEAM })));
  const reviewer = await sessionCookie(await users.create({ role: "REVIEWER" }));

  // What the corpus aims at: a draft to edit, a submitted request to act on, and an accepted submission to replay.
  const post = (cookie: string, data: unknown) => api.post(`${BASE_URL}/api/requests`, { data, headers: { cookie } });
  const draft = await post(members[0]!, { ...valid(), githubApp: undefined, draft: true });
  expect(draft.status(), await draft.text()).toBe(201);
  const replayBody = valid();
  const submitted = await post(members[0]!, replayBody);
  expect(submitted.status(), await submitted.text()).toBe(201);
  const targets = { draftId: (await draft.json()).id, submittedId: (await submitted.json()).id, replayBody };

  const cases = corpus(targets);
  expect(cases.length).toBeGreaterThanOrEqual(200);
  const used = new Map<string, number>();
  const cookieFor = (c: Case) => {
    if (c.as === "reviewer") return reviewer;
    const budget = BUDGET[c.endpoint];
    const cookie = members.find((m) => budget === undefined || (used.get(`${c.endpoint}:${m}`) ?? 0) < budget);
    if (!cookie) throw new Error(`the corpus needs more than ${members.length} people for its ${c.endpoint} calls`);
    used.set(`${c.endpoint}:${cookie}`, (used.get(`${c.endpoint}:${cookie}`) ?? 0) + 1);
    return cookie;
  };

  const before = await snapshot();
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  for (const c of cases) {
    let answer: Answer;
    try {
      answer = await send(api, cookieFor(c), c);
    } catch (err) {
      failures.push(`${c.name}: no answer (${(err as Error).message})`);
      continue;
    }
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    for (const p of problems(c, answer)) failures.push(`${c.name}: ${p}`);
  }
  const after = await snapshot();
  await api.dispose();

  console.log(`[bad-input] ${cases.length} cases; answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  expect(failures).toEqual([]);
  expect(after.counts).toEqual(before.counts);
  expect(after.contents).toEqual(before.contents);
});
