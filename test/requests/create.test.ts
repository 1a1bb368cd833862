import { describe, expect, it } from "vitest";
import { open } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { HttpError } from "@/lib/http-errors";
import { createRequest } from "@/lib/requests/create";
import { makeActor, requestBody, snapshot, testPem } from "./fixtures";

async function rejection(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe("creating a request", () => {
  it("stores a submitted request with its answers, an encrypted key, the fingerprint, a label claim and a timeline event", async () => {
    const actor = await makeActor({ team: "team-x" });
    const body = requestBody();
    const created = await createRequest(actor, body, "submit");
    expect(created.status).toBe("SUBMITTED");
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: created.id }, include: { events: true, labelClaim: true } });
    expect(row.label).toBe(body.label);
    expect(row.spec).toMatchObject({ label: body.label, gpus: 1, githubApp: { appId: "424242", installationId: "67890" } });
    expect(JSON.stringify(row.spec)).not.toContain("PRIVATE KEY");
    expect(open(row.privateKeyCiphertext!, process.env.ENCRYPTION_KEY!)).toBe(testPem);
    expect(row.privateKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}=$/);
    expect(row.labelClaim?.label).toBe(body.label);
    expect(row.events.map((e) => [e.type, e.toStatus])).toEqual([["submitted", "SUBMITTED"]]);
  });

  it("saves a draft without credentials and without claiming the label", async () => {
    const actor = await makeActor({ team: "team-x" });
    const created = await createRequest(actor, requestBody({ githubApp: { appId: "", installationId: "", privateKey: "" } }), "draft");
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: created.id }, include: { labelClaim: true } });
    expect(row.status).toBe("DRAFT");
    expect(row.privateKeyCiphertext).toBeNull();
    expect(row.labelClaim).toBeNull();
  });

  it.each([
    ["an uppercase label", { label: "GPU-Runners" }, "label"],
    ["a fractional GPU count", { gpus: 1.5 }, "gpus"],
    ["min above max", { minRunners: 4, maxRunners: 2 }, "maxRunners"],
    ["a URL outside GitHub", { githubConfigUrl: "https://gitlab.com/org" }, "githubConfigUrl"],
    ["an EC key", { githubApp: { appId: "1", installationId: "2", privateKey: "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----\n" } }, "githubApp.privateKey"],
    ["a truncated RSA key", { githubApp: { appId: "1", installationId: "2", privateKey: testPem.slice(0, 400) + "\n-----END RSA PRIVATE KEY-----\n" } }, "githubApp.privateKey"],
    ["a missing key on submit", { githubApp: { appId: "1", installationId: "2", privateKey: "" } }, "githubApp.privateKey"],
  ])("refuses %s with a 422 naming the field, and writes nothing", async (_what, over, field) => {
    const actor = await makeActor({ team: "team-x" });
    const before = await snapshot();
    const err = await rejection(createRequest(actor, requestBody(over), "submit"));
    expect(err.status).toBe(422);
    expect(Object.keys(err.fieldErrors ?? {})).toContain(field);
    expect(JSON.stringify(err)).not.toContain("PRIVATE KEY-----\nMII");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a label already held on the cluster (409) and writes nothing", async () => {
    const actor = await makeActor({ team: "team-x" });
    const body = requestBody();
    await createRequest(actor, body, "submit");
    const before = await snapshot();
    const err = await rejection(createRequest(actor, { ...body, namespace: "arc-other" }, "submit"));
    expect(err.status).toBe(409);
    expect(err.fieldErrors?.label?.[0]).toMatch(/already taken/);
    expect(await snapshot()).toEqual(before);
  });

  it("two people racing for one label: exactly one wins", async () => {
    const a = await makeActor({ team: "team-x" });
    const b = await makeActor({ team: "team-x" });
    const body = requestBody();
    const results = await Promise.allSettled([createRequest(a, body, "submit"), createRequest(b, { ...body, namespace: "arc-b" }, "submit")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((lost.reason as HttpError).status).toBe(409);
    expect(await db.runnerRequest.count({ where: { label: body.label } })).toBe(1);
  });

  it("files under a new team with the requester as member, but never under someone else's team", async () => {
    const outsider = await makeActor();
    const created = await createRequest(outsider, requestBody({ team: `Brand New ${Date.now()}` }), "submit");
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id: created.id }, include: { team: { include: { members: true } } } });
    expect(row.team.members.map((m) => m.userId)).toEqual([outsider.id]);

    const stranger = await makeActor();
    const before = await snapshot();
    const err = await rejection(createRequest(stranger, requestBody({ team: row.team.name }), "submit"));
    expect(err.status).toBe(422);
    expect(err.fieldErrors?.team?.[0]).toMatch(/is taken/);
    expect(await snapshot()).toEqual(before);
  });
});

describe("asking GitHub at submit time", () => {
  it("records a passing check with the request", async () => {
    const actor = await makeActor({ team: "team-x" });
    const { id } = await createRequest(actor, requestBody(), "submit");
    const row = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
    expect(row.githubCheck).toMatchObject({ credentials: { status: "ok" }, standing: { status: "skipped" } });
  });

  it.each([
    ["a wrong App ID", { appId: "999999" }, "githubApp.appId"],
    ["an installation on another organisation", { installationId: "7890" }, "githubApp.installationId"],
  ])("refuses %s with GitHub's explanation on the field, and writes nothing", async (_what, app, field) => {
    const actor = await makeActor({ team: "team-x" });
    const base = requestBody();
    const before = await snapshot();
    const err = await rejection(createRequest(actor, { ...base, githubApp: { ...base.githubApp, ...app } }, "submit"));
    expect(err.status).toBe(422);
    expect(err.fieldErrors?.[field]?.[0]).toMatch(/\w/);
    expect(await snapshot()).toEqual(before);
  });
});
