// The admin's import routes against a real kube-apiserver v1.20 with the real ARC CRDs and a
// real PostgreSQL: scale sets installed by hand (field manager "helm") are listed and imported
// as READY requests without a change to the cluster; a values file becomes READY when its scale
// set runs and SUBMITTED when it does not; bad input is a 4xx with a message and writes
// nothing; inline keys are sealed and never echoed; an unresponsive cluster answers in time.
import { readFileSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { registerCluster } from "@/lib/clusters/registry";
import { open } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { teamSlug } from "@/lib/requests/team";
import { freePort } from "@/scripts/db/embedded-postgres";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { tokenKubeconfig } from "@/test/harness/kubeconfig-text";
import { arsPath, kubeRequest } from "@/test/harness/kube-request";
import { suffix, testPem } from "@/test/provision/fixtures";
import { createNamespace, helmInstall, referenceText, referenceValues } from "./helm-install";

const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ currentActor: async () => signedIn.actor }));

const NOD = "linux-mi300-1gpu-ossci-nod-ai";
const ROCM = "linux-mi300-1gpu-ossci-rocm";

let cluster: KubeCluster;
let clusterId: string;
let admin: Actor;
let reviewer: Actor;
const namespace = `arc-import-${suffix()}`;

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const routes = {
  live: () => import("@/app/api/admin/clusters/[id]/import/live/route"),
  livePreview: () => import("@/app/api/admin/clusters/[id]/import/live/preview/route"),
  values: () => import("@/app/api/admin/clusters/[id]/import/values/route"),
  valuesPreview: () => import("@/app/api/admin/clusters/[id]/import/values/preview/route"),
};

async function call(handler: Handler, id: string, body?: unknown, raw?: string) {
  const init: RequestInit =
    body === undefined && raw === undefined
      ? { method: "GET" }
      : { method: "POST", headers: { "content-type": "application/json" }, body: raw ?? JSON.stringify(body) };
  const res = await handler(new Request(`http://portal.test/api/admin/clusters/${id}/import`, init), { params: Promise.resolve({ id }) });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as any };
}

const get = async (id = clusterId) => call((await routes.live()).GET as Handler, id);
const postLive = async (body: unknown, id = clusterId) => call((await routes.live()).POST as Handler, id, body);
const previewLive = async (body: unknown, id = clusterId) => call((await routes.livePreview()).POST as Handler, id, body);
const postValues = async (body: unknown, id = clusterId) => call((await routes.values()).POST as Handler, id, body);
const previewValues = async (body: unknown, id = clusterId) => call((await routes.valuesPreview()).POST as Handler, id, body);

/** Every table an import writes, in full. */
async function snapshot() {
  const [requests, teams, claims, events] = await Promise.all([
    db.runnerRequest.findMany({ orderBy: { id: "asc" } }),
    db.team.findMany({ orderBy: { id: "asc" } }),
    db.labelClaim.findMany({ orderBy: { requestId: "asc" } }),
    db.requestEvent.findMany({ orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ requests, teams, claims, events });
}

async function liveArs(name: string, ns = namespace) {
  const res = await kubeRequest(cluster, "GET", arsPath(ns, name));
  expect(res.status).toBe(200);
  return res.body as { metadata: { resourceVersion: string; managedFields: { manager: string }[] }; spec: Record<string, unknown> };
}

function actor(user: { id: string; login: string }, role: Actor["role"]): Actor {
  return { id: user.id, login: user.login, name: null, role, teamIds: [] };
}

beforeAll(async () => {
  cluster = await startKube();
  const s = suffix();
  admin = actor(await db.user.create({ data: { login: `admin-${s}`, role: "ADMIN" } }), "ADMIN");
  reviewer = actor(await db.user.create({ data: { login: `rev-${s}`, role: "REVIEWER" } }), "REVIEWER");
  clusterId = (
    await registerCluster(admin, { name: `aks-${s}`, displayName: "AKS test", connection: "KUBECONFIG", kubeconfig: readFileSync(cluster.kubeconfigPath, "utf8") })
  ).id;
  await createNamespace(cluster, namespace);
  await helmInstall(cluster, NOD, namespace, referenceValues(`${NOD}.yaml`));
  await helmInstall(cluster, ROCM, namespace, referenceValues(`${ROCM}.yaml`));
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

beforeEach(() => {
  signedIn.actor = admin;
});

describe("who may import", () => {
  it("answers 401 to nobody and 403 to a reviewer, 200 to an admin", async () => {
    signedIn.actor = null;
    expect((await get()).status).toBe(401);
    signedIn.actor = reviewer;
    expect((await get()).status).toBe(403);
    expect((await previewValues({ file: referenceText(`${NOD}.yaml`) })).status).toBe(403);
    signedIn.actor = admin;
    expect((await get()).status).toBe(200);
  });
});

describe("from the cluster", () => {
  it("lists the hand-installed scale sets with their label, sizes, image, URL and installer", async () => {
    const { status, json } = await get();
    expect(status).toBe(200);
    const ours = json.scaleSets.filter((s: { namespace: string }) => s.namespace === namespace);
    expect(ours.map((s: { name: string }) => s.name)).toEqual([NOD, ROCM]);
    expect(ours[0]).toMatchObject({
      label: NOD,
      githubConfigUrl: "https://github.com/nod-ai",
      image: "ghcr.io/saienduri/ghascale-rocm-dev:main",
      installedBy: "helm",
      labelHeldBy: null,
    });
    expect(ours[0].maxRunners).toBeUndefined();
  });

  it("previews what an import stores without writing anything", async () => {
    const before = await snapshot();
    const { status, json } = await previewLive({ namespace, name: NOD, team: "SHARK import", contact: "@shark-lead" });
    expect(status).toBe(200);
    expect(json.fields).toMatchObject({ team: "SHARK import", label: NOD, memory: "75000Mi", gpus: 1, docker: true });
    expect(json.needsInput).toEqual([]);
    expect(json.advanced).not.toBeNull();
    const paths = json.unrepresented.map((u: { path: string }) => u.path);
    expect(paths).toEqual(expect.arrayContaining(["githubConfigSecret", "template.spec.volumes[k8s-mount]", "maxRunners"]));
    expect(json.team).toEqual({ name: "SHARK import", exists: false });
    expect(await snapshot()).toBe(before);
  });

  it("imports one as a READY request of a new team, leaves the cluster alone, and then no longer lists it", async () => {
    const before = await liveArs(NOD);
    const { status, json } = await postLive({ namespace, name: NOD, team: "SHARK import", contact: "@shark-lead" });
    expect(status, JSON.stringify(json)).toBe(201);
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: json.id }, include: { team: true, labelClaim: true, events: true } });
    expect(row).toMatchObject({ status: "READY", label: NOD, namespace, clusterId, privateKeyCiphertext: null });
    expect(row.team.name).toBe("SHARK import");
    expect(row.approvedSpec).toEqual(row.spec);
    expect(row.advanced).not.toBeNull();
    expect(row.labelClaim?.clusterId).toBe(clusterId);
    expect(row.events.map((e) => e.type)).toEqual(["import"]);

    const after = await liveArs(NOD);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.metadata.managedFields.map((m) => m.manager)).toEqual(["helm"]);

    const list = await get();
    expect(list.json.scaleSets.map((s: { name: string }) => s.name)).not.toContain(NOD);
    // Importing it again: the label is held now.
    const snap = await snapshot();
    const again = await postLive({ namespace, name: NOD, team: "SHARK import", contact: "@shark-lead" });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatch(/already holds the label/);
    expect(await snapshot()).toBe(snap);
  });

  it("files an import under an existing team by its name", async () => {
    const name = `ROCm ${suffix()}`;
    const team = await db.team.create({ data: { slug: teamSlug(name), name } });
    const { status, json } = await postLive({ namespace, name: ROCM, team: team.name.toLowerCase(), contact: "rocm@example.com" });
    expect(status, JSON.stringify(json)).toBe(201);
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: json.id } });
    expect(row.teamId).toBe(team.id);
    expect((row.spec as { team: string }).team).toBe(team.name);
  });

  it("refuses bad input with a 4xx and a message, writing nothing", async () => {
    const before = await snapshot();
    const cases: [string, () => Promise<{ status: number; json: any }>, number][] = [
      ["unknown cluster", () => get("no-such-cluster"), 404],
      ["unknown cluster (preview)", () => previewLive({ namespace, name: ROCM }, "no-such-cluster"), 404],
      ["body not JSON", async () => call((await routes.live()).POST as Handler, clusterId, undefined, "{nope"), 400],
      ["no name", () => postLive({ namespace }), 400],
      ["name not text", () => postLive({ namespace, name: 7, team: "x", contact: "@x" }), 400],
      ["unknown scale set", () => postLive({ namespace, name: "not-there", team: "T", contact: "@t" }), 404],
      ["scale set in another namespace", () => previewLive({ namespace: "other-ns", name: ROCM }), 404],
    ];
    for (const [what, run, want] of cases) {
      const { status, json } = await run();
      expect(status, `${what}: ${JSON.stringify(json)}`).toBe(want);
      expect(typeof json.error).toBe("string");
      expect(JSON.stringify(json)).not.toMatch(/at .*\.ts:\d+|node_modules/);
    }
    expect(await snapshot()).toBe(before);
  });

  it("asks for the owner before importing, naming the fields", async () => {
    const ns = `arc-owner-${suffix()}`;
    await createNamespace(cluster, ns);
    await helmInstall(cluster, "owner-less", ns, referenceValues(`${ROCM}.yaml`));
    const before = await snapshot();
    const shown = await previewLive({ namespace: ns, name: "owner-less" });
    expect(shown.json.needsInput.map((n: { field: string }) => n.field).sort()).toEqual(["contact", "team"]);
    expect(shown.json.unrepresented.map((u: { path: string }) => u.path)).toContain("githubConfigSecret");
    const { status, json } = await postLive({ namespace: ns, name: "owner-less", contact: "not a contact" });
    expect(status).toBe(422);
    expect(Object.keys(json.fieldErrors).sort()).toEqual(["contact", "team"]);
    expect(await snapshot()).toBe(before);
  });

  it("refuses a scale set the portal applied itself", async () => {
    const ns = `arc-portal-${suffix()}`;
    await createNamespace(cluster, ns);
    await helmInstall(cluster, "portal-made", ns, referenceValues(`${ROCM}.yaml`));
    // The portal's field manager takes a field over, as its server-side apply would.
    const patch = { apiVersion: "actions.github.com/v1alpha1", kind: "AutoscalingRunnerSet", metadata: { name: "portal-made", namespace: ns }, spec: { minRunners: 0 } };
    const applied = await kubeRequest(cluster, "PATCH", `${arsPath(ns, "portal-made")}?fieldManager=arc-runner-portal&force=true`, patch, "application/apply-patch+yaml");
    expect(applied.status).toBe(200);
    expect((await get()).json.scaleSets.map((s: { name: string }) => s.name)).not.toContain("portal-made");
    const before = await snapshot();
    const { status, json } = await postLive({ namespace: ns, name: "portal-made", team: "X", contact: "@x" });
    expect(status).toBe(409);
    expect(json.error).toMatch(/already manages/);
    expect(await snapshot()).toBe(before);
  });
});

const nodFile = () => referenceText(`${NOD}.yaml`);
const manyKeys = (n: number) => `githubConfigUrl: https://github.com/x\ntemplate:\n  metadata:\n    annotations: {${Array.from({ length: n }, (_, i) => `k${i}: v`).join(", ")}}\n`;

describe("from a values file", () => {
  it("maps a file whose scale set does not run, lists what the form cannot hold, and writes nothing", async () => {
    const before = await snapshot();
    const label = `nod-${suffix()}`;
    const { status, json } = await previewValues({ file: nodFile(), label, namespace: `arc-new-${suffix()}` });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json.outcome).toBe("SUBMITTED");
    expect(json.live.state).toBe("absent");
    expect(json.secret).toEqual({ kind: "named", name: "pre-defined-secret", from: "file" });
    expect(json.fields).toMatchObject({ label, memory: "75000Mi", cpu: "25000m", gpus: 1, docker: true });
    expect(json.needsInput.map((n: { field: string }) => n.field).sort()).toEqual(["contact", "team"]);
    // What the form cannot hold shows before the owner is named.
    expect(json.unrepresented.map((u: { path: string }) => u.path)).toContain("template.spec.volumes[k8s-mount]");
    expect(await snapshot()).toBe(before);

    const complete = await previewValues({ file: nodFile(), label, namespace: `arc-new-${suffix()}`, team: "SHARK", contact: "@shark" });
    const paths = complete.json.unrepresented.map((u: { path: string }) => u.path);
    expect(paths).toEqual(expect.arrayContaining(["githubConfigSecret", "template.spec.volumes[k8s-mount]", "template.spec.volumes[k8s-cache]"]));
    expect(complete.json.advanced).not.toBeNull();
  });

  it("imports a file whose scale set does not run as SUBMITTED, for a reviewer to decide", async () => {
    const label = `nod-${suffix()}`;
    const { status, json } = await postValues({ file: nodFile(), label, namespace: `arc-new-${suffix()}`, team: "SHARK values", contact: "@shark" });
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json.status).toBe("SUBMITTED");
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: json.id }, include: { events: true } });
    expect(row).toMatchObject({ status: "SUBMITTED", label, approvedSpec: null, requesterId: admin.id });
    expect(row.advanced).toMatchObject({ githubConfigSecret: "pre-defined-secret" });
    expect(row.events[0]?.message).toMatch(/does not run yet/);
  });

  it("binds a file whose scale set runs to the live one: READY, with the live spec approved", async () => {
    // Another release of the same file: the label NOD is held by the import above.
    const ns = `arc-bound-${suffix()}`;
    const label = `nod-bound-${suffix()}`;
    await createNamespace(cluster, ns);
    await helmInstall(cluster, label, ns, referenceValues(`${NOD}.yaml`));
    const before = await liveArs(label, ns);
    const preview = await previewValues({ file: nodFile(), label, namespace: ns, team: "SHARK bound", contact: "@shark" });
    expect(preview.status, JSON.stringify(preview.json)).toBe(200);
    expect(preview.json.outcome).toBe("READY");
    expect(preview.json.live.state).toBe("running");
    // The API server pruned the dind container's fsGroup: the file says more than runs.
    expect(preview.json.differencesFromLive.map((d: { path: string }) => d.path).join(" ")).toMatch(/dind/);

    const { status, json } = await postValues({ file: nodFile(), label, namespace: ns, team: "SHARK bound", contact: "@shark" });
    expect(status, JSON.stringify(json)).toBe(201);
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: json.id }, include: { events: true } });
    expect(row).toMatchObject({ status: "READY", label, namespace: ns });
    expect(row.approvedSpec).toEqual(row.spec);
    expect(row.events[0]?.message).toMatch(/Bound to the scale set running on the cluster/);
    expect((await liveArs(label, ns)).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it("seals inline App credentials, never echoes the key, and refuses a token", async () => {
    const pem = testPem();
    const keyLine = pem.split("\n")[5]!;
    const inline = nodFile().replace(
      "githubConfigSecret: pre-defined-secret",
      `githubConfigSecret:\n  github_app_id: "123456"\n  github_app_installation_id: "654321"\n  github_app_private_key: |\n${pem.trim().split("\n").map((l) => `    ${l}`).join("\n")}\n`,
    );
    const label = `inline-${suffix()}`;
    const body = { file: inline, label, namespace: `arc-inline-${suffix()}`, team: "Inline", contact: "@inline" };
    const preview = await previewValues(body);
    expect(preview.status, preview.text.slice(0, 300)).toBe(200);
    expect(preview.text).not.toContain(keyLine);
    expect(preview.text).not.toMatch(/PRIVATE KEY/);
    expect(preview.json.secret).toMatchObject({ kind: "inline-app", appId: "123456", installationId: "654321" });
    expect(preview.json.secret.keyFingerprint).toMatch(/^SHA256:/);
    // The Secret helm would make from inline credentials is the one the portal writes: no overlay for it.
    expect(preview.json.unrepresented.map((u: { path: string }) => u.path)).not.toContain("githubConfigSecret");

    const created = await postValues(body);
    expect(created.status, created.text.slice(0, 300)).toBe(201);
    expect(created.text).not.toContain(keyLine);
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(row.privateKeyCiphertext).not.toBeNull();
    expect(open(row.privateKeyCiphertext!, process.env.ENCRYPTION_KEY!)).toBe(pem);
    expect(JSON.stringify([row.spec, row.advanced])).not.toContain(keyLine);
    expect(row.spec).toMatchObject({ githubApp: { appId: "123456", installationId: "654321" } });

    const before = await snapshot();
    const token = "ghp_" + "A1b2C3d4".repeat(4);
    const withToken = nodFile().replace("githubConfigSecret: pre-defined-secret", `githubConfigSecret:\n  github_token: "${token}"\n`);
    const refused = await postValues({ ...body, file: withToken, label: `tok-${suffix()}` });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatch(/personal access token/);
    expect(refused.text).not.toContain(token);
    // A broken key in a file is not quoted back either.
    const broken = inline.replace(keyLine, "!!!!");
    const bad = await previewValues({ ...body, file: broken, label: `bad-${suffix()}` });
    expect(bad.status).toBe(422);
    expect(bad.text).not.toContain(pem.split("\n")[3]!);
    expect(await snapshot()).toBe(before);
  });

  it("refuses files that are not gha-runner-scale-set values, with the reason, writing nothing", async () => {
    const before = await snapshot();
    const secretish = "github_app_private_key: -----BEGIN RSA PRIVATE KEY-----\n  MIIEsecretsecret: [";
    const cases: [string, unknown, number, RegExp][] = [
      ["malformed YAML", { file: "template: [1\n" }, 422, /not valid YAML/],
      ["a list", { file: "- 1\n- 2\n" }, 422, /map of Helm values/],
      ["another chart's values", { file: "replicaCount: 2\nimage:\n  repository: x\n" }, 422, /not a gha-runner-scale-set values file/],
      ["no runner values at all", { file: "annotations: {}\n" }, 422, /not a gha-runner-scale-set values file/],
      ["empty file", { file: "" }, 400, /Values file is required/],
      ["file not text", { file: 42 }, 400, /./],
      ["file too large", { file: `# ${"x".repeat(300 * 1024)}\ntemplate: {}\n` }, 400, /at most 64 KiB/],
      ["bad Secret name", { file: nodFile(), githubSecret: "Not A Name" }, 422, /GitHub App Secret/],
      ["unknown cluster", { file: nodFile() }, 404, /not registered/],
      ["YAML error near a key", { file: secretish }, 422, /not valid YAML/],
      // 22,000 keys in 226 KiB held the event loop for 10–22 s while the YAML parser compared keys pairwise.
      ["22,000 keys in 226 KiB", { file: manyKeys(22_000) }, 400, /at most 64 KiB/],
      ["6,000 keys in 53 KiB", { file: manyKeys(6_000) }, 422, /^The file has more than 5,000 keys and list items/],
      ["a key twice", { file: `${nodFile()}\ngithubConfigUrl: https://github.com/elsewhere\n` }, 422, /map keys must be unique; "githubConfigUrl" appears twice/],
    ];
    for (const [what, body, want, message] of cases) {
      const { status, json, text } = what === "unknown cluster" ? await previewValues(body, "nope") : await postValues(body);
      expect(status, `${what}: ${text.slice(0, 300)}`).toBe(want);
      expect(json.error, what).toMatch(message);
      expect(text).not.toContain("MIIEsecret");
    }
    // A label another request holds on this cluster.
    const held = await postValues({ file: nodFile(), label: ROCM, namespace: "arc-elsewhere", team: "T", contact: "@t" });
    expect(held.status).toBe(409);
    expect(held.json.error).toMatch(/already holds the label/);
    // Missing answers: 422 naming the fields.
    const missing = await postValues({ file: nodFile(), label: `m-${suffix()}`, namespace: `arc-m-${suffix()}` });
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.json.fieldErrors).sort()).toEqual(["contact", "team"]);
    expect(await snapshot()).toBe(before);
  });
});

describe("a cluster that does not answer", () => {
  it("answers 504 within the import's time limit instead of hanging, and 503 for a refused connection", async () => {
    // Accepts connections and never answers, like an API server behind a dead load balancer.
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as net.AddressInfo).port;
    const hanging = await registerCluster(admin, { name: `silent-${suffix()}`, displayName: "Silent", connection: "KUBECONFIG", kubeconfig: tokenKubeconfig(`https://127.0.0.1:${port}`) });
    const closed = await freePort();
    const refusing = await registerCluster(admin, { name: `closed-${suffix()}`, displayName: "Closed", connection: "KUBECONFIG", kubeconfig: tokenKubeconfig(`https://127.0.0.1:${closed}`) });
    try {
      const started = Date.now();
      const slow = await get(hanging.id);
      const took = Date.now() - started;
      expect(slow.status).toBe(504);
      expect(slow.json.error).toMatch(/did not answer within 10 s/);
      expect(took).toBeLessThan(15_000);
      const refused = await get(refusing.id);
      expect(refused.status).toBe(503);
      expect(refused.json.error).toMatch(/refused the connection/);
      // The values import cannot tell whether the scale set runs: it says so and imports nothing.
      const before = await snapshot();
      const values = await postValues({ file: nodFile(), team: "T", contact: "@t" }, refusing.id);
      expect(values.status).toBe(503);
      expect(await snapshot()).toBe(before);
    } finally {
      silent.close();
    }
  }, 40_000);
});
