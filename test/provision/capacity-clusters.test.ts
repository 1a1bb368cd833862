// The reviewer compares a request's capacity on every candidate cluster. A cluster that refuses
// the connection, or accepts it and never answers, is reported "unreachable" within the
// deadline, and the route answers for it like for any other; unknown or malformed ids are 4xx.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { registerCluster } from "@/lib/clusters/registry";
import { db } from "@/lib/db";
import { capacityOnCluster } from "@/lib/provision/capacity";
import type { CapacityReport } from "@/lib/provision/types";
import { createRequest } from "@/lib/requests/create";
import { freePort } from "@/scripts/db/embedded-postgres";
import { tokenKubeconfig } from "@/test/harness/kubeconfig-text";
import { makeActor, requestBody } from "@/test/requests/fixtures";
import { suffix } from "./fixtures";

const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ currentActor: async () => signedIn.actor }));

let silent: net.Server;
const held: net.Socket[] = [];
let refusedPort: number;
let request: Awaited<ReturnType<typeof db.runnerRequest.findUniqueOrThrow>>;
let hanging: { id: string };
let refusing: { id: string };
let reviewer: Actor;

beforeAll(async () => {
  // Accepts connections and never says a word, like a cluster behind a dead load balancer.
  silent = net.createServer((s) => held.push(s));
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  refusedPort = await freePort();

  const admin = await db.user.create({ data: { login: `admin-${suffix()}`, role: "ADMIN" } });
  hanging = await registerCluster(admin, {
    name: `silent-${suffix()}`,
    displayName: "Silent",
    connection: "KUBECONFIG",
    kubeconfig: tokenKubeconfig(`https://127.0.0.1:${(silent.address() as net.AddressInfo).port}`),
  });
  refusing = await registerCluster(admin, { name: `gone-${suffix()}`, displayName: "Gone", connection: "KUBECONFIG", kubeconfig: tokenKubeconfig(`https://127.0.0.1:${refusedPort}`) });
  const requester = await makeActor({ team: "team-cap" });
  reviewer = await makeActor({ role: "REVIEWER" });
  const { id } = await createRequest(requester, requestBody({ team: "team-cap" }), "submit");
  request = await db.runnerRequest.findUniqueOrThrow({ where: { id } });
});

afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => silent.close(r));
});

const input = () => ({ ...request, spec: request.spec as never });

describe("capacity on candidate clusters", () => {
  it("a cluster that accepts and never answers is unreachable within the deadline", async () => {
    const started = Date.now();
    const report = await capacityOnCluster(input(), hanging.id, { timeoutMs: 1500 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.cluster.state).toBe("unreachable");
    expect(report.cluster.message).toMatch(/did not answer/);
    expect(report.fits).toBeNull();
    // The worst case is still worked out from the request, so the reviewer sees what it would need.
    expect(report.resources.find((l) => l.resource === "gpu")).toMatchObject({ worstCase: 3, allocatable: null });
  });

  it("a cluster that refuses the connection is unreachable at once", async () => {
    const report = await capacityOnCluster(input(), refusing.id);
    expect(report.cluster).toMatchObject({ state: "unreachable" });
    expect(report.cluster.message).toMatch(/refused|could not be asked/);
  });

  it("through the route: reviewers only, one cluster per call, 404 for an unknown cluster and 400 for a malformed id", async () => {
    const { GET } = await import("@/app/api/requests/[id]/capacity/route");
    const call = (q: string) => GET(new Request(`http://portal.test/api/requests/${request.id}/capacity${q}`), { params: Promise.resolve({ id: request.id }) });
    signedIn.actor = await makeActor({ team: "team-cap" });
    expect((await call(`?cluster=${refusing.id}`)).status).toBe(403);
    signedIn.actor = reviewer;
    const res = await call(`?cluster=${refusing.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as CapacityReport).cluster.state).toBe("unreachable");
    const unknown = await call("?cluster=c_not_a_cluster");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/not registered/);
    expect((await call("?cluster=..%2Fx")).status).toBe(400);
  });
});
