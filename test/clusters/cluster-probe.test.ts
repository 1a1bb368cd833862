// The admin list's reachability probe against a real kube-apiserver, through a TCP relay that
// counts the probe's connections: it answers with the version, and it leaves no connection open
// behind it (a probe's connection pool is its own and is closed once the answer is in).
import { readFileSync } from "node:fs";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { probeClusterById } from "@/lib/clusters/cluster-probe";
import { registerCluster } from "@/lib/clusters/registry";
import { db } from "@/lib/db";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { suffix } from "@/test/provision/fixtures";

let cluster: KubeCluster;
let relay: Server;
const open = new Set<Socket>();
let accepted = 0;

beforeAll(async () => {
  cluster = await startKube({ installArcCrds: false });
  const target = new URL(cluster.server);
  relay = createServer((client) => {
    accepted++;
    open.add(client);
    const upstream = connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    const end = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((r) => relay.listen(0, "127.0.0.1", r));
}, 120_000);

afterAll(async () => {
  for (const s of open) s.destroy();
  await new Promise((r) => relay?.close(r));
  await cluster?.stop();
});

it("answers with the API server's version and closes its connection at once", async () => {
  const port = (relay.address() as AddressInfo).port;
  const kubeconfig = readFileSync(cluster.kubeconfigPath, "utf8").replace(cluster.server, `https://127.0.0.1:${port}`);
  expect(kubeconfig).toContain(`https://127.0.0.1:${port}`);
  const admin = await db.user.create({ data: { login: `admin-${suffix()}`, role: "ADMIN" } });
  const row = await registerCluster(admin, { name: `probe-${suffix()}`, displayName: "Probed", connection: "KUBECONFIG", kubeconfig });

  expect(await probeClusterById(row.id)).toEqual({ reachable: true, version: expect.stringMatching(/^v1\.20\./) });
  expect(accepted).toBe(1);
  // A kept-alive connection would stay open for undici's keep-alive timeout (4 s).
  const deadline = Date.now() + 1_000;
  while (open.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  expect(open.size).toBe(0);
});
