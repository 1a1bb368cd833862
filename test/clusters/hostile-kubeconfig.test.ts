// A kubeconfig is the admin's to paste, but the portal's host is not theirs: client-node would run
// an `exec` or `auth-provider` command with the portal's environment, read a `token-file` (the
// portal's own ServiceAccount token, in a pod) and send it wherever `server` says. Against a real
// kube-apiserver (where a command's or a file's token works) and a real database: such kubeconfigs
// are refused at registration, naming the field, and one stored before the checks is refused
// wherever a stored kubeconfig is loaded. Nothing runs and nothing is read.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import YAML from "yaml";
import type { Actor } from "@/lib/auth/actor";
import { kubeForClusterId } from "@/lib/clusters/connection";
import { seal } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { KubeConfigError } from "@/lib/kube/config";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { suffix } from "@/test/provision/fixtures";

const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ currentActor: async () => signedIn.actor }));

const clusters = await import("@/app/api/admin/clusters/route");
const probe = await import("@/app/api/admin/clusters/[id]/probe/route");
const importLive = await import("@/app/api/admin/clusters/[id]/import/live/route");

let cluster: KubeCluster;
let dir: string;
let marker: string;
let tokenFile: string;
let execScript: string;
let admin: Actor;

beforeAll(async () => {
  cluster = await startKube({ installArcCrds: false });
  dir = mkdtempSync(path.join(os.tmpdir(), "hostile-kubeconfig-"));
  marker = path.join(dir, "ran");
  tokenFile = path.join(dir, "token");
  writeFileSync(tokenFile, cluster.token);
  writeFileSync(path.join(dir, "ca.crt"), cluster.caData);
  // A working credential plugin: it leaves a mark, then hands client-node the real token.
  execScript = path.join(dir, "plugin.sh");
  const credential = JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1beta1", kind: "ExecCredential", status: { token: cluster.token } });
  writeFileSync(execScript, `#!/bin/sh\necho "$ENCRYPTION_KEY" > '${marker}'\necho '${credential}'\n`);
  chmodSync(execScript, 0o755);
  const row = await db.user.create({ data: { login: `hostile-admin-${suffix()}`, role: "ADMIN" } });
  admin = { id: row.id, login: row.login, name: null, role: "ADMIN", teamIds: [] };
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The harness's working kubeconfig (inline CA and token) with its cluster and user changed. */
function kubeconfig(change: { cluster?: Record<string, unknown>; user?: Record<string, unknown>; top?: Record<string, unknown> }): string {
  const caData = Buffer.from(cluster.caData).toString("base64");
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster: { server: cluster.server, "certificate-authority-data": caData, ...change.cluster } }],
    users: [{ name: "u", user: change.user ?? { token: cluster.token } }],
    contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
    "current-context": "x",
    ...change.top,
  });
}

const exec = () => ({ exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: execScript, interactiveMode: "Never" } });

const HOSTILE: [string, () => string, RegExp][] = [
  ["an exec plugin", () => kubeconfig({ user: exec() }), /^users\[0\]\.user\.exec is not allowed: the portal would run that command on its host/],
  [
    "an auth-provider with a cmd-path",
    () => kubeconfig({ user: { "auth-provider": { name: "gcp", config: { "cmd-path": execScript, "cmd-args": "x", "token-key": "{.status.token}" } } } }),
    /^users\[0\]\.user\.auth-provider is not allowed: its plugin runs commands/,
  ],
  ["a token file", () => kubeconfig({ user: { "token-file": tokenFile } }), /^users\[0\]\.user\.token-file is not allowed: it names a file on the portal's host/],
  [
    "a token and a token file",
    () => kubeconfig({ user: { token: "x", "token-file": tokenFile } }),
    /^users\[0\]\.user\.token-file is not allowed/,
  ],
  [
    "client certificate files",
    () => kubeconfig({ user: { "client-certificate": tokenFile, "client-key": tokenFile } }),
    /^users\[0\]\.user\.client-certificate is not allowed: .*paste the file's content as client-certificate-data$/,
  ],
  [
    "a CA file",
    () => kubeconfig({ cluster: { "certificate-authority-data": undefined, "certificate-authority": path.join(dir, "ca.crt") } }),
    /^clusters\[0\]\.cluster\.certificate-authority is not allowed/,
  ],
  ["a proxy", () => kubeconfig({ cluster: { "proxy-url": "http://127.0.0.1:1" } }), /^clusters\[0\]\.cluster\.proxy-url is not allowed: the portal would send the cluster's traffic/],
  ["an http server", () => kubeconfig({ cluster: { server: cluster.server.replace("https:", "http:"), "insecure-skip-tls-verify": true } }), /^clusters\[0\]\.cluster\.server must be an https:\/\/ URL/],
  ["basic authentication", () => kubeconfig({ user: { username: "admin", password: "pw" } }), /^users\[0\]\.user\.username is not allowed: basic authentication/],
  ["a field the portal does not know", () => kubeconfig({ user: { token: "x", "future-plugin": { command: execScript } } }), /^users\[0\]\.user\.future-plugin is not allowed: the portal accepts only token, client-certificate-data, client-key-data/],
  [
    "an exec plugin on a context that is not the current one",
    () => kubeconfig({ top: { users: [{ name: "u", user: { token: cluster.token } }, { name: "v", user: exec() }] } }),
    /^users\[1\]\.user\.exec is not allowed/,
  ],
];

const ctx = (id = "") => ({ params: Promise.resolve({ id }) });
const counts = async () => ({ clusters: await db.cluster.count(), events: await db.clusterSettingsEvent.count() });

describe("registering a kubeconfig that would act on the portal's host", () => {
  it.each(HOSTILE)("refuses %s with 422 naming the field, writing nothing and running nothing", async (_name, text, why) => {
    signedIn.actor = admin;
    const before = await counts();
    const body = { name: `hostile-${suffix()}`, displayName: "Hostile", connection: "KUBECONFIG", kubeconfig: text() };
    const res = await clusters.POST(new Request("http://portal.test/api/admin/clusters", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), ctx());
    const answer = await res.text();
    expect(res.status, answer).toBe(422);
    expect(JSON.parse(answer).fieldErrors.kubeconfig[0]).toMatch(why);
    expect(answer).not.toContain(cluster.token);
    expect(await counts()).toEqual(before);
    expect(existsSync(marker)).toBe(false);
  });

  it("still registers a kubeconfig with inline credentials, which reaches the API server", async () => {
    signedIn.actor = admin;
    const body = { name: `inline-${suffix()}`, displayName: "Inline", connection: "KUBECONFIG", kubeconfig: kubeconfig({}) };
    const res = await clusters.POST(new Request("http://portal.test/api/admin/clusters", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), ctx());
    expect(res.status).toBe(201);
    const { id } = await res.json();
    expect(await (await probe.GET(new Request(`http://portal.test/api/admin/clusters/${id}/probe`), ctx(id))).json()).toEqual({ reachable: true, version: expect.stringMatching(/^v1\.20\./) });
  });
});

describe("a hostile kubeconfig stored before these checks", () => {
  /** A row as an older portal stored it: sealed, never checked. */
  async function stored(text: string) {
    return db.cluster.create({
      data: { name: `old-${suffix()}`, displayName: "Stored earlier", connection: "KUBECONFIG", kubeconfigCiphertext: seal(text, env().ENCRYPTION_KEY) },
      select: { id: true, name: true },
    });
  }

  it.each([
    ["an exec plugin", () => kubeconfig({ user: exec() }), /users\[0\]\.user\.exec is not allowed/],
    ["a token file", () => kubeconfig({ user: { "token-file": tokenFile } }), /users\[0\]\.user\.token-file is not allowed/],
  ])("with %s is refused at every load, telling the admin to register it again; the command never runs", async (_name, text, field) => {
    const row = await stored(text());
    const refused = new RegExp(`^Cluster ${row.name}'s stored kubeconfig is refused: ${field.source}.*An admin must register the cluster again`);
    signedIn.actor = admin;

    // The admin's probe: an answer in words, not a 500, and not the server's version (which the
    // command's or the file's token would have got).
    const probed = await probe.GET(new Request(`http://portal.test/api/admin/clusters/${row.id}/probe`), ctx(row.id));
    expect(probed.status).toBe(200);
    const probeAnswer = await probed.json();
    expect(probeAnswer).toEqual({ reachable: false, problem: expect.stringMatching(refused) });

    // The admin list's connection summary.
    const list = await (await clusters.GET(new Request("http://portal.test/api/admin/clusters"), ctx())).json();
    expect(list.clusters.find((c: { id: string }) => c.id === row.id).summary.problem).toMatch(refused);

    // A live import: 503 in words.
    const imported = await importLive.GET(new Request(`http://portal.test/api/admin/clusters/${row.id}/import/live`), ctx(row.id));
    expect(imported.status).toBe(503);
    expect((await imported.json()).error).toMatch(/cannot connect to cluster Stored earlier: Cluster .* stored kubeconfig is refused/);

    // Provisioning, capacity checks and status reads open it through the same function.
    await expect(kubeForClusterId(row.id)).rejects.toThrow(KubeConfigError);
    await expect(kubeForClusterId(row.id)).rejects.toThrow(refused);

    expect(existsSync(marker)).toBe(false);
    await db.cluster.delete({ where: { id: row.id } });
  });
});
