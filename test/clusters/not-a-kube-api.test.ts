// A kubeconfig's server may be any https address the portal can reach, including an internal
// service that is not Kubernetes. The admin's probe and the live-import list then say that the
// server is not a Kubernetes API, or its HTTP status, and never repeat what it answered: through
// the real route handlers and a real database, against a real HTTPS server on loopback whose every
// answer carries a recognisable secret.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { registerCluster } from "@/lib/clusters/registry";
import { db } from "@/lib/db";
import { tokenKubeconfig } from "@/test/harness/kubeconfig-text";
import { suffix } from "@/test/provision/fixtures";

const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ currentActor: async () => signedIn.actor }));

const probe = await import("@/app/api/admin/clusters/[id]/probe/route");
const importLive = await import("@/app/api/admin/clusters/[id]/import/live/route");

const SECRET = "INTERNAL-ONLY-7d3f9a";

/** How the internal service answers every path. */
const ANSWERS: Record<string, { status: number; type: string; body: string }> = {
  "an HTML page": { status: 200, type: "text/html", body: `<html><body>${SECRET}</body></html>` },
  "text that claims to be JSON": { status: 200, type: "application/json", body: `<html>${SECRET}` },
  "another service's JSON": { status: 200, type: "application/json", body: JSON.stringify({ gitVersion: SECRET, items: [{ metadata: { name: SECRET } }] }) },
  "an error page": { status: 500, type: "text/plain", body: `${SECRET}\n` },
  "JSON with a message, not a Status": { status: 403, type: "application/json", body: JSON.stringify({ message: SECRET }) },
};

let answer = ANSWERS["an HTML page"]!;
let server: https.Server;
let dir: string;
let clusterId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "not-kube-"));
  const made = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", "key.pem", "-out", "cert.pem"],
    { cwd: dir, stdio: "pipe" },
  );
  expect(made.status, String(made.stderr)).toBe(0);
  server = https.createServer({ key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) }, (_req, res) => {
    res.writeHead(answer.status, { "content-type": answer.type }).end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const admin = await db.user.create({ data: { login: `ssrf-admin-${suffix()}`, role: "ADMIN" } });
  signedIn.actor = { id: admin.id, login: admin.login, name: null, role: "ADMIN", teamIds: [] };
  const port = (server.address() as AddressInfo).port;
  // The kubeconfig skips the TLS check, as one written for a self-signed internal service would.
  ({ id: clusterId } = await registerCluster(admin, { name: `internal-${suffix()}`, displayName: "Internal", connection: "KUBECONFIG", kubeconfig: tokenKubeconfig(`https://127.0.0.1:${port}`) }));
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ctx = () => ({ params: Promise.resolve({ id: clusterId }) });

describe("a kubeconfig whose server is not a Kubernetes API", () => {
  it.each(Object.keys(ANSWERS))("answering %s: the probe and the import list classify it and never repeat it", async (name) => {
    answer = ANSWERS[name]!;
    const probed = await probe.GET(new Request(`http://portal.test/api/admin/clusters/${clusterId}/probe`), ctx());
    const probeText = await probed.text();
    expect(probed.status).toBe(200);
    expect(probeText).not.toContain(SECRET);
    const { reachable, problem } = JSON.parse(probeText);
    expect(reachable).toBe(false);
    expect(problem).toMatch(answer.status >= 400 ? new RegExp(`^HTTP ${answer.status} .*the answer is not a Kubernetes API's$`) : /is not a Kubernetes API/);

    const listed = await importLive.GET(new Request(`http://portal.test/api/admin/clusters/${clusterId}/import/live`), ctx());
    const listText = await listed.text();
    expect(listText).not.toContain(SECRET);
    expect(listed.status, listText).toBeGreaterThanOrEqual(400);
    expect(listed.status).toBeLessThan(600);
    expect(JSON.parse(listText).error).toMatch(answer.status >= 400 ? new RegExp(`HTTP ${answer.status} .*not a Kubernetes API's`) : /not a Kubernetes API/);
  });
});
