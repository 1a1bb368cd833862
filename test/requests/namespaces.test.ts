// Issue 15, item 4: namespaces are owned. The portal's, the controller's and the cluster's system
// namespaces are refused by the shared schema; any other belongs to the first team that submits
// into it on a cluster, checked at submission and at approval.
import { describe, expect, it } from "vitest";
import { defaultClusterSettings } from "@/lib/arc/settings";
import { environmentLimits } from "@/lib/clusters/settings";
import { db } from "@/lib/db";
import { HttpError } from "@/lib/http-errors";
import { act } from "@/lib/requests/actions";
import { createRequest } from "@/lib/requests/create";
import { requestSchema } from "@/lib/requests/schema";
import { requestView } from "@/lib/requests/view";
import { makeActor, requestBody, snapshot } from "./fixtures";

async function refusal(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe("reserved namespaces", () => {
  it.each([
    ["arc", /the ARC controller's own namespace/],
    ["arc-runner-portal", /the portal's own namespace/],
    ["cert-manager", /a system namespace on this cluster/],
  ])("the shared schema refuses %s, saying why", (ns, why) => {
    const parsed = requestSchema(environmentLimits()).safeParse(requestBody({ namespace: ns }));
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.filter((i) => i.path[0] === "namespace").map((i) => i.message);
    expect(messages).toEqual([expect.stringMatching(why)]);
  });

  it("follows the cluster's controller namespace and its own list", () => {
    expect(defaultClusterSettings.controllerServiceAccount.namespace).toBe("arc");
    const limits = environmentLimits();
    expect(Object.keys(limits.reservedNamespaces)).toEqual(expect.arrayContaining(["arc", "arc-runner-portal", ...defaultClusterSettings.reservedNamespaces]));
  });

  it("a submission into the controller's namespace is a 422 on the namespace field and writes nothing", async () => {
    const actor = await makeActor({ team: "ns-r" });
    const before = await snapshot();
    const err = await refusal(createRequest(actor, requestBody({ team: "ns-r", namespace: "arc" }), "submit"));
    expect(err.status).toBe(422);
    expect(err.fieldErrors?.namespace?.[0]).toMatch(/Namespace must not be 'arc'/);
    expect(await snapshot()).toEqual(before);
  });
});

describe("namespace claims", () => {
  it("another team's submission into a claimed namespace is a 409 naming the owner, and writes nothing", async () => {
    const a = await makeActor({ team: "ns-a" });
    const b = await makeActor({ team: "ns-b" });
    const shared = `arc-shared-${Date.now() % 100000}`;
    await createRequest(a, requestBody({ team: "ns-a", namespace: shared }), "submit");
    const before = await snapshot();
    const err = await refusal(createRequest(b, requestBody({ team: "ns-b", namespace: shared }), "submit"));
    expect(err.status).toBe(409);
    expect(err.message).toMatch(new RegExp(`Namespace "${shared}" on this cluster belongs to team ns-a`));
    expect(err.fieldErrors?.namespace).toBeDefined();
    expect(await snapshot()).toEqual(before);
    // The same team may put a second scale set there.
    await createRequest(a, requestBody({ team: "ns-a", namespace: shared }), "submit");
  });

  it("is checked at approval: a reviewer cannot move a request into another team's namespace, and sees whose it is", async () => {
    const a = await makeActor({ team: "ns-c" });
    const b = await makeActor({ team: "ns-d" });
    const owned = `arc-owned-${Date.now() % 100000}`;
    await createRequest(a, requestBody({ team: "ns-c", namespace: owned }), "submit");
    const { id } = await createRequest(b, requestBody({ team: "ns-d" }), "submit");
    const reviewer = await makeActor({ role: "REVIEWER" });
    const err = await refusal(act(reviewer, id, { action: "approve", adjustments: { namespace: owned } }));
    expect(err.status).toBe(409);
    expect(err.message).toMatch(/belongs to team ns-c/);
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id } })).status).toBe("SUBMITTED");
    const view = await requestView(reviewer, id);
    expect(view.namespaceOwner).toMatchObject({ team: "ns-d" });
  });

  it("is released when the owning team's last request there is rejected", async () => {
    const a = await makeActor({ team: "ns-e" });
    const b = await makeActor({ team: "ns-f" });
    const ns = `arc-freed-${Date.now() % 100000}`;
    const { id } = await createRequest(a, requestBody({ team: "ns-e", namespace: ns }), "submit");
    const reviewer = await makeActor({ role: "REVIEWER" });
    await act(reviewer, id, { action: "reject", reason: "wrong cluster" });
    expect(await db.namespaceClaim.count({ where: { namespace: ns } })).toBe(0);
    await createRequest(b, requestBody({ team: "ns-f", namespace: ns }), "submit");
    expect((await db.namespaceClaim.findFirstOrThrow({ where: { namespace: ns }, include: { team: true } })).team.name).toBe("ns-f");
  });

  it("two teams claiming one namespace at the same instant: exactly one gets it", async () => {
    const a = await makeActor({ team: "ns-g" });
    const b = await makeActor({ team: "ns-h" });
    const ns = `arc-race-${Date.now() % 100000}`;
    const results = await Promise.allSettled([
      createRequest(a, requestBody({ team: "ns-g", namespace: ns }), "submit"),
      createRequest(b, requestBody({ team: "ns-h", namespace: ns }), "submit"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((lost.reason as HttpError).status).toBe(409);
    expect(await db.runnerRequest.count({ where: { namespace: ns } })).toBe(1);
  });

  it("a live scale set in a namespace another team holds (shared before claims) can still be changed and removed", async () => {
    const a = await makeActor({ team: "ns-i" });
    const b = await makeActor({ team: "ns-j" });
    const ns = `arc-legacy-${Date.now() % 100000}`;
    const bodyB = requestBody({ team: "ns-j", namespace: `${ns}-b` });
    const { id } = await createRequest(b, bodyB, "submit");
    const reviewer = await makeActor({ role: "REVIEWER" });
    await act(reviewer, id, { action: "approve" });
    // As it was before claims: B's scale set runs in the namespace that now belongs to A.
    await createRequest(a, requestBody({ team: "ns-i", namespace: ns }), "submit");
    const spec = (await db.runnerRequest.findUniqueOrThrow({ where: { id } })).spec as Record<string, unknown>;
    await db.runnerRequest.update({ where: { id }, data: { status: "READY", namespace: ns, spec: { ...spec, namespace: ns }, approvedSpec: { ...spec, namespace: ns } } });
    await act(b, id, { action: "request_decommission", reason: "moving out" });
    await act(reviewer, id, { action: "approve" });
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id } })).status).toBe("APPROVED");
    expect((await db.namespaceClaim.findFirstOrThrow({ where: { namespace: ns }, include: { team: true } })).team.name).toBe("ns-i");
  });
});
