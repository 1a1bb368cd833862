// The admin cluster API through its real route handlers (gate included) and a real database:
// who may call it, bad input answered 4xx in words with nothing written, the kubeconfig never
// sent back, and a settings save that names the live scale sets waiting for a re-apply.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { defaultClusterSettings } from "@/lib/arc/settings";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { freePort } from "@/scripts/db/embedded-postgres";
import { tokenKubeconfig } from "@/test/harness/kubeconfig-text";
import { approvedRequest, people, suffix, testSpec, type People } from "@/test/provision/fixtures";

const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ currentActor: async () => signedIn.actor }));

const clusters = await import("@/app/api/admin/clusters/route");
const settings = await import("@/app/api/admin/clusters/[id]/settings/route");
const preview = await import("@/app/api/admin/clusters/[id]/settings/preview/route");
const probe = await import("@/app/api/admin/clusters/[id]/probe/route");

const TOKEN = "kubeconfig-token-that-must-never-come-back";
const kubeconfig = (server: string) => tokenKubeconfig(server, TOKEN);

let p: People;
let admin: Actor;

beforeAll(async () => {
  p = await people();
  const row = await db.user.create({ data: { login: `admin-${suffix()}`, role: "ADMIN" } });
  admin = { id: row.id, login: row.login, name: null, role: "ADMIN", teamIds: [] };
});

const url = (path: string) => `http://portal.test/api/admin/clusters${path}`;
const json = (method: string, path: string, body: unknown) =>
  new Request(url(path), { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const ctx = (id = "") => ({ params: Promise.resolve({ id }) });
const as = (actor: Actor | null) => (signedIn.actor = actor);
const counts = async () => ({ clusters: await db.cluster.count(), events: await db.clusterSettingsEvent.count() });

async function register(body: unknown) {
  as(admin);
  return clusters.POST(json("POST", "", body), ctx());
}

describe("who may use the admin cluster API", () => {
  it("answers 401 to nobody and 403 to requesters and reviewers, writing nothing", async () => {
    const cluster = await db.cluster.create({ data: { name: `gate-${suffix()}`, displayName: "gate" } });
    const before = await counts();
    for (const [actor, status] of [
      [null, 401],
      [p.requester, 403],
      [p.reviewer, 403],
    ] as const) {
      as(actor);
      expect((await clusters.GET(new Request(url("")), ctx())).status).toBe(status);
      expect((await clusters.POST(json("POST", "", { name: `x-${suffix()}`, displayName: "x", connection: "IN_CLUSTER" }), ctx())).status).toBe(status);
      expect((await settings.GET(new Request(url(`/${cluster.id}/settings`)), ctx(cluster.id))).status).toBe(status);
      expect((await settings.PUT(json("PUT", `/${cluster.id}/settings`, { settings: defaultClusterSettings, version: 1 }), ctx(cluster.id))).status).toBe(status);
      expect((await preview.POST(json("POST", `/${cluster.id}/settings/preview`, { settings: defaultClusterSettings }), ctx(cluster.id))).status).toBe(status);
      expect((await probe.GET(new Request(url(`/${cluster.id}/probe`)), ctx(cluster.id))).status).toBe(status);
    }
    expect(await counts()).toEqual(before);
  });
});

describe("registering a cluster", () => {
  it("refuses a kubeconfig that does not load, wrong types, and a taken name, in words, writing nothing", async () => {
    const before = await counts();
    const broken = await register({ name: `bad-${suffix()}`, displayName: "Bad", connection: "KUBECONFIG", kubeconfig: "clusters: [" });
    expect(broken.status).toBe(422);
    const brokenBody = await broken.json();
    expect(brokenBody.fieldErrors.kubeconfig[0]).toMatch(/kubeconfig cannot be read/);

    // The parser's message quotes the bad lines; the answer must not send a token back.
    const quoting = await register({ name: `q-${suffix()}`, displayName: "Q", connection: "KUBECONFIG", kubeconfig: `users:\n- name: a\n  user:\n    token: ${TOKEN}\n   x: 1` });
    const quotingText = await quoting.text();
    expect(quotingText).not.toContain(TOKEN);
    expect(JSON.parse(quotingText).fieldErrors.kubeconfig[0]).toMatch(/must start at the same column at line 5, column 1$/);

    const noUser = await register({ name: `nouser-${suffix()}`, displayName: "X", connection: "KUBECONFIG", kubeconfig: kubeconfig("https://x:6443").replace(/users:.*\n/, "") });
    expect(noUser.status).toBe(422);

    const types = await register({ name: 5, displayName: ["x"], connection: "SSH" });
    expect(types.status).toBe(422);
    expect(Object.keys((await types.json()).fieldErrors).sort()).toEqual(["connection", "displayName", "name"]);

    const missing = await register({ name: `nokc-${suffix()}`, displayName: "No kubeconfig", connection: "KUBECONFIG" });
    expect((await missing.json()).fieldErrors.kubeconfig[0]).toMatch(/Paste the kubeconfig/);

    const notJson = await clusters.POST(new Request(url(""), { method: "POST", headers: { "content-type": "application/json" }, body: "{name:" }), ctx());
    expect(notJson.status).toBe(400);
    expect(await counts()).toEqual(before);

    const name = `dup-${suffix()}`;
    expect((await register({ name, displayName: "Dup", connection: "IN_CLUSTER" })).status).toBe(201);
    const after = await counts();
    const dup = await register({ name, displayName: "Dup again", connection: "IN_CLUSTER" });
    expect(dup.status).toBe(409);
    expect((await dup.json()).fieldErrors.name).toEqual(["This name is taken"]);
    expect(await counts()).toEqual(after);
  });

  it("stores the kubeconfig sealed and shows only its server host and fingerprint", async () => {
    const name = `kc-${suffix()}`;
    const res = await register({ name, displayName: "MI300", connection: "KUBECONFIG", kubeconfig: kubeconfig("https://mi300.example.internal:6443") });
    expect(res.status).toBe(201);
    const created = await res.text();
    expect(created).not.toContain(TOKEN);
    expect(created).not.toContain("kubeconfig");

    as(admin);
    const list = await (await clusters.GET(new Request(url("")), ctx())).text();
    expect(list).not.toContain(TOKEN);
    expect(list).not.toMatch(/kubeconfigCiphertext|v1:[A-Za-z0-9+/=]+:/);
    const row = (JSON.parse(list).clusters as { name: string; summary: Record<string, unknown>; scaleSets: number }[]).find((c) => c.name === name)!;
    expect(row.summary).toMatchObject({ connection: "KUBECONFIG", serverHost: "mi300.example.internal:6443", problem: null });
    expect(row.summary.fingerprint).toMatch(/^SHA256:([0-9a-f]{2}:){7}[0-9a-f]{2}$/);
    expect(row.scaleSets).toBe(0);
  });

  it("says an API server that refuses the connection is unreachable, within the probe's limit", async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await freePort();
    const res = await register({ name: `down-${suffix()}`, displayName: "Down", connection: "KUBECONFIG", kubeconfig: kubeconfig(`https://127.0.0.1:${port}`) });
    const { id } = await res.json();
    const started = Date.now();
    const answer = await probe.GET(new Request(url(`/${id}/probe`)), ctx(id));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ reachable: false, problem: expect.stringMatching(/refused the connection|could not be reached/) });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await probe.GET(new Request(url("/nope/probe")), ctx("nope"))).status).toBe(404);
  });
});

describe("changing a cluster's settings through the API", () => {
  it("answers 404 for an unknown cluster, 400 for a body of the wrong shape, 422 for bad settings, writing nothing", async () => {
    as(admin);
    const unknown = "c0000000000000000000unknown";
    expect((await settings.GET(new Request(url(`/${unknown}/settings`)), ctx(unknown))).status).toBe(404);
    expect((await settings.PUT(json("PUT", `/${unknown}/settings`, { settings: defaultClusterSettings, version: 1 }), ctx(unknown))).status).toBe(404);
    expect((await preview.POST(json("POST", `/${unknown}/settings/preview`, { settings: defaultClusterSettings }), ctx(unknown))).status).toBe(404);

    const { id } = await (await register({ name: `set-${suffix()}`, displayName: "Set", connection: "IN_CLUSTER" })).json();
    const before = await counts();
    const noVersion = await settings.PUT(json("PUT", `/${id}/settings`, { settings: defaultClusterSettings }), ctx(id));
    expect(noVersion.status).toBe(400);
    expect((await noVersion.json()).fieldErrors.version[0]).toMatch(/version/);
    expect((await settings.PUT(json("PUT", `/${id}/settings`, [1, 2]), ctx(id))).status).toBe(400);

    const bad = await settings.PUT(
      json("PUT", `/${id}/settings`, { settings: { ...defaultClusterSettings, defaultRunnerImage: "Not An Image!", maxRunnersCeiling: 0 }, version: 1 }),
      ctx(id),
    );
    expect(bad.status).toBe(422);
    const badBody = await bad.json();
    expect(Object.keys(badBody.fieldErrors).sort()).toEqual(["defaultRunnerImage", "maxRunnersCeiling"]);
    const badPreview = await preview.POST(json("POST", `/${id}/settings/preview`, { settings: { ...defaultClusterSettings, gpuResourceName: "gpu" } }), ctx(id));
    expect(badPreview.status).toBe(422);
    expect(await counts()).toEqual(before);
  });

  it("previews the diff per live scale set, saves an audited event, and names the scale sets awaiting a re-apply", async () => {
    as(admin);
    const { id } = await (await register({ name: `live-${suffix()}`, displayName: "Live", connection: "IN_CLUSTER" })).json();
    const spec = testSpec(`live-${suffix()}`, `ns-${suffix()}`, { docker: false, gpus: 1 });
    const { request } = await approvedRequest(p, id, spec, { status: "READY" });
    await db.runnerRequest.update({ where: { id: request.id }, data: { appliedSettings: defaultClusterSettings as unknown as Prisma.InputJsonValue } });
    const rowsBefore = await db.runnerRequest.findMany({ where: { clusterId: id } });

    const next = { ...defaultClusterSettings, defaultRunnerImage: "ghcr.io/rocm/runner:6.4" };
    const previewed = await (await preview.POST(json("POST", `/${id}/settings/preview`, { settings: next }), ctx(id))).json();
    expect(previewed.fields).toEqual([{ path: "defaultRunnerImage", before: "ghcr.io/actions/actions-runner:latest", after: "ghcr.io/rocm/runner:6.4" }]);
    expect(previewed.scaleSets.map((s: { label: string }) => s.label)).toEqual([spec.label]);
    const ars = previewed.scaleSets[0].objects.find((o: { object: string }) => o.object.startsWith("AutoscalingRunnerSet"));
    expect(JSON.stringify(ars.changes)).toContain("ghcr.io/rocm/runner:6.4");
    expect(await db.clusterSettingsEvent.count({ where: { clusterId: id } })).toBe(1);

    const saved = await settings.PUT(json("PUT", `/${id}/settings`, { settings: next, version: 1 }), ctx(id));
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ version: 2, changed: true, pending: [{ requestId: request.id, label: spec.label }] });
    // The live scale set's row is untouched: nothing changes until a reviewer re-applies.
    expect(await db.runnerRequest.findMany({ where: { clusterId: id } })).toEqual(rowsBefore);

    const stale = await settings.PUT(json("PUT", `/${id}/settings`, { settings: defaultClusterSettings, version: 1 }), ctx(id));
    expect(stale.status).toBe(409);

    const view = await (await settings.GET(new Request(url(`/${id}/settings`)), ctx(id))).json();
    expect(view).toMatchObject({ version: 2, usesEnvironment: false, settings: { defaultRunnerImage: "ghcr.io/rocm/runner:6.4" } });
    expect(view.history[0]).toMatchObject({ by: admin.login, changes: [{ path: "defaultRunnerImage", after: "ghcr.io/rocm/runner:6.4" }] });
    expect(view.history).toHaveLength(2);
    // Registration recorded the environment's settings: compared with them, nothing changed.
    expect(view.history[1]).toMatchObject({ by: admin.login, fromEnvironment: true, changes: [] });
  });
});
