// A real kube-apiserver v1.20.2 + etcd with the ARC CRDs installed: the tests' cluster and the
// local cluster of `npm start`. See BRIEF.md section 4. Binaries: ./binaries.ts.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import https from "node:https";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { kubeBinaries } from "./binaries";

export interface KubeCluster {
  /** https://127.0.0.1:PORT */
  server: string;
  /** bearer token of a system:masters user */
  token: string;
  /** PEM bundle that verifies the apiserver's serving cert */
  caFile: string;
  caData: string;
  kubeconfigPath: string;
  dataDir: string;
  stop(): Promise<void>;
  /** Stop and start kube-apiserver only (same port, certs, etcd). */
  restartApiserver(): Promise<void>;
  stopApiserver(): Promise<void>;
  startApiserver(): Promise<void>;
}

export interface StartKubeOptions {
  /** Kept after stop() when given (its etcd and certs are recreated on start); a temp dir removed on stop() otherwise. */
  dataDir?: string;
  /** Keep etcd's data, the certificates, the token and the ports for the next start in `dataDir` (the local cluster of `npm start`). */
  persistent?: boolean;
  /** Install the four ARC CRDs (default true). */
  installArcCrds?: boolean;
  /** Max time for each readiness wait (default 60 s). */
  timeoutMs?: number;
}

const FIELD_MANAGER = "arc-portal-harness";
/** The upstream ARC CRDs the portal ships (see arc-crds/README.md). */
export const ARC_CRD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "arc-crds");

// --- process bookkeeping: nothing may outlive the test process ---

const live = new Set<ChildProcess>();
let exitHooksInstalled = false;

function killAllSync(): void {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      /* already gone */
    }
  }
  live.clear();
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on("exit", killAllSync);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    // Only take over a signal nobody else handles, so default exit still happens.
    if (process.listenerCount(sig) > 0) continue;
    const handler = () => {
      killAllSync();
      process.removeListener(sig, handler);
      process.kill(process.pid, sig);
    };
    try {
      process.on(sig, handler);
    } catch {
      /* signals are not available in worker threads */
    }
  }
}

// A detached shell that SIGKILLs our children if this process dies without
// running exit handlers (e.g. SIGKILL of a test worker), then removes temp data.
function startWatchdog(pidFile: string, removeDir: string | undefined): ChildProcess {
  const script =
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done; ' +
    'if [ -f "$2" ]; then kill -9 $(cat "$2") 2>/dev/null; fi; ' +
    'if [ -n "$3" ]; then sleep 1; rm -rf "$3"; fi';
  const wd = spawn("sh", ["-c", script, "arc-kube-watchdog", String(process.pid), pidFile, removeDir ?? ""], {
    detached: true,
    stdio: "ignore",
  });
  wd.unref();
  return wd;
}

interface Proc {
  child: ChildProcess;
  exited: Promise<number | null>;
  logTail(): string;
}

function startProc(name: string, bin: string, args: string[], logFile: string, onChange: () => void): Proc {
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let tail = "";
  const keep = (b: Buffer) => {
    log.write(b);
    tail = (tail + b.toString()).slice(-4000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => {
    child.on("error", (err) => {
      tail += `\n[${name}] spawn error: ${err.message}`;
    });
    child.on("close", (code, signal) => {
      live.delete(child);
      log.end();
      onChange();
      resolve(code ?? (signal ? -1 : null));
    });
  });
  onChange();
  return { child, exited, logTail: () => tail };
}

async function stopProc(p: Proc | undefined, graceMs = 5000): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill("SIGTERM");
  const timer = setTimeout(() => p.child.kill("SIGKILL"), graceMs);
  await p.exited;
  clearTimeout(timer);
}

// --- networking ---

async function freePorts(n: number): Promise<number[]> {
  // Hold all listeners open together so the ports are distinct.
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      await new Promise<void>((resolve, reject) => {
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => resolve());
      });
      servers.push(srv);
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

interface HttpResult {
  status: number;
  body: string;
}

function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; ca?: string; timeoutMs?: number } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === "https:" ? https : http;
    const req = mod.request(
      u,
      {
        method: opts.method ?? "GET",
        headers: opts.headers,
        ca: opts.ca,
        timeout: opts.timeoutMs ?? 10_000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout: ${opts.method ?? "GET"} ${url}`)));
    req.on("error", reject);
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  proc?: Proc,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr = "";
  for (;;) {
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
      throw new Error(`${what}: process exited (${proc.child.exitCode ?? proc.child.signalCode})\n${proc.logTail()}`);
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastErr = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastErr ? `: ${lastErr}` : ""}${proc ? `\n${proc.logTail()}` : ""}`);
    }
    await sleep(200);
  }
}

// --- ARC CRDs on v1.20 ---

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Makes the upstream ARC CRDs acceptable to a v1.20 apiserver, in place.
 * 1. v1.20 validates `default: ""` as null ("must be of type string"), so
 *    every empty-string default is dropped (35/67/34/34 of them in ARC 0.14).
 * 2. v1.20 requires each x-kubernetes-list-map-keys property to be required or
 *    defaulted. Dropping `default: ""` breaks that only for
 *    imagePullSecrets[].name, so a key is added to items.required only when it
 *    has no default left (ports' `protocol` keeps its TCP default untouched).
 * Returns the paths it changed.
 */
export function transformCrdForV120(crd: Json): string[] {
  const changed: string[] = [];
  const isObj = (v: Json | undefined): v is { [k: string]: Json } => !!v && typeof v === "object" && !Array.isArray(v);
  const dropEmptyDefaults = (node: Json, at: string): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => dropEmptyDefaults(v, `${at}[${i}]`));
    if (!isObj(node)) return;
    if (node.default === "") {
      delete node.default;
      changed.push(`${at}.default`);
    }
    for (const [k, v] of Object.entries(node)) dropEmptyDefaults(v, at ? `${at}.${k}` : k);
  };
  const requireListMapKeys = (node: Json, at: string): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => requireListMapKeys(v, `${at}[${i}]`));
    if (!isObj(node)) return;
    const keys = node["x-kubernetes-list-map-keys"];
    const items = node.items;
    if (Array.isArray(keys) && isObj(items)) {
      const props = isObj(items.properties) ? items.properties : {};
      const required = Array.isArray(items.required) ? items.required : [];
      for (const k of keys) {
        const prop = typeof k === "string" ? props[k] : undefined;
        if (typeof k !== "string" || required.includes(k) || (isObj(prop) && "default" in prop)) continue;
        required.push(k);
        changed.push(`${at}.items.required+=${k}`);
      }
      if (required.length) items.required = required;
    }
    for (const [k, v] of Object.entries(node)) requireListMapKeys(v, at ? `${at}.${k}` : k);
  };
  dropEmptyDefaults(crd, "");
  requireListMapKeys(crd, "");
  return changed;
}

export function loadArcCrds(dir = ARC_CRD_DIR): { name: string; file: string; crd: Json; changed: string[] }[] {
  const files = readdirSync(dir)
    .filter((f) => /^actions\.github\.com_.*\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) throw new Error(`no ARC CRDs (actions.github.com_*.yaml) in ${dir}`);
  return files.map((f) => {
    const file = path.join(dir, f);
    const crd = YAML.parse(readFileSync(file, "utf8"), { maxAliasCount: -1 }) as Json;
    const changed = transformCrdForV120(crd);
    const name = (crd as { metadata: { name: string } }).metadata.name;
    return { name, file, crd, changed };
  });
}

// --- cluster ---

interface PersistentState {
  etcdClientPort: number;
  etcdPeerPort: number;
  apiPort: number;
  token: string;
}

async function portFree(port: number): Promise<boolean> {
  const srv = net.createServer();
  return new Promise((resolve) => {
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** The state of the last start, when its ports are free again and its keys are still there. */
async function reusableState(file: string): Promise<PersistentState | undefined> {
  if (!existsSync(file)) return undefined;
  const dir = path.dirname(file);
  if (!["sa.pub", "sa.key", "tokens.csv"].every((f) => existsSync(path.join(dir, f)))) return undefined;
  try {
    const s = JSON.parse(readFileSync(file, "utf8")) as PersistentState;
    const ports = [s.etcdClientPort, s.etcdPeerPort, s.apiPort];
    if (!ports.every(Number.isInteger) || typeof s.token !== "string") return undefined;
    for (const p of ports) if (!(await portFree(p))) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

export async function startKube(opts: StartKubeOptions = {}): Promise<KubeCluster> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const bins = kubeBinaries();
  installExitHooks();

  const ownsDir = !opts.dataDir;
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : await mkdtemp(path.join(os.tmpdir(), "arc-kube-"));
  mkdirSync(dataDir, { recursive: true });
  const certDir = path.join(dataDir, "certs");
  const etcdDir = path.join(dataDir, "etcd");
  const stateFile = path.join(dataDir, "cluster.json");
  const saPub = path.join(dataDir, "sa.pub");
  const saKey = path.join(dataDir, "sa.key");
  const tokenFile = path.join(dataDir, "tokens.csv");

  // A persistent cluster comes back on its old ports with its old data, certificates and token;
  // anything else (or old ports now taken: etcd's membership names its peer port) starts afresh.
  let state = opts.persistent ? await reusableState(stateFile) : undefined;
  if (!state) {
    rmSync(certDir, { recursive: true, force: true });
    rmSync(etcdDir, { recursive: true, force: true });
    const [etcdClientPort, etcdPeerPort, apiPort] = await freePorts(3);
    state = { etcdClientPort: etcdClientPort!, etcdPeerPort: etcdPeerPort!, apiPort: apiPort!, token: randomBytes(24).toString("hex") };
    const { publicKey, privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
    });
    writeFileSync(saPub, publicKey);
    writeFileSync(saKey, privateKey, { mode: 0o600 });
    writeFileSync(tokenFile, `${state.token},arc-portal-admin,arc-portal-admin,"system:masters"\n`, { mode: 0o600 });
    if (opts.persistent) writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  }
  mkdirSync(certDir, { recursive: true });
  mkdirSync(etcdDir, { recursive: true, mode: 0o700 });
  const { etcdClientPort, etcdPeerPort, apiPort, token } = state;
  const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
  const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  const server = `https://127.0.0.1:${apiPort}`;

  const pidFile = path.join(dataDir, "pids");
  let etcd: Proc | undefined;
  let apiserver: Proc | undefined;
  const writePids = () => {
    const pids = [etcd, apiserver].filter((p) => p && live.has(p.child)).map((p) => p!.child.pid);
    try {
      writeFileSync(pidFile, pids.join(" ") + "\n");
    } catch {
      /* dataDir already removed */
    }
  };
  const watchdog = startWatchdog(pidFile, ownsDir ? dataDir : undefined);

  let caData = "";
  const caFile = path.join(certDir, "apiserver.crt");
  const headers = () => ({ Authorization: `Bearer ${token}` });

  const startEtcd = async () => {
    etcd = startProc(
      "etcd",
      bins.etcd,
      [
        "--name=arc-test",
        `--data-dir=${etcdDir}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=arc-test=${peerUrl}`,
        // etcd ignores the initial-cluster flags once its data directory holds a member.
        "--initial-cluster-state=new",
        "--logger=zap",
        "--log-level=warn",
      ],
      path.join(dataDir, "etcd.log"),
      writePids,
    );
    await waitFor(
      "etcd health",
      timeoutMs,
      async () => {
        const r = await request(`${etcdUrl}/health`, { timeoutMs: 2000 });
        return r.status === 200 && /"health":\s*"true"/.test(r.body);
      },
      etcd,
    );
  };

  let stopped = false;
  const startApiserver = async () => {
    if (stopped) throw new Error("cluster already stopped");
    if (apiserver && apiserver.child.exitCode === null && apiserver.child.signalCode === null) return;
    apiserver = startProc(
      "kube-apiserver",
      bins.apiserver,
      [
        `--etcd-servers=${etcdUrl}`,
        "--bind-address=127.0.0.1",
        // Loopback-only; endpoints for it are invalid, so no endpoint reconciler.
        "--advertise-address=127.0.0.1",
        "--endpoint-reconciler-type=none",
        `--secure-port=${apiPort}`,
        "--insecure-port=0",
        `--cert-dir=${certDir}`,
        `--token-auth-file=${tokenFile}`,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc",
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        "--service-cluster-ip-range=10.0.0.0/24",
        "--disable-admission-plugins=ServiceAccount",
        "--enable-priority-and-fairness=false",
      ],
      path.join(dataDir, "kube-apiserver.log"),
      writePids,
    );
    const proc = apiserver;
    await waitFor(
      "kube-apiserver /readyz",
      timeoutMs,
      async () => {
        // The self-signed cert appears only once the server has started.
        if (!caData) {
          if (!existsSync(caFile)) return false;
          caData = readFileSync(caFile, "utf8");
        }
        const r = await request(`${server}/readyz`, { headers: headers(), ca: caData, timeoutMs: 5000 });
        return r.status === 200;
      },
      proc,
    );
  };

  const stopApiserver = async () => {
    await stopProc(apiserver);
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopProc(apiserver);
    await stopProc(etcd);
    try {
      watchdog.kill("SIGKILL");
    } catch {
      /* gone */
    }
    if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await startEtcd();
    await startApiserver();

    const kubeconfigPath = path.join(dataDir, "kubeconfig.yaml");
    const kubeconfig = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "arc-test", cluster: { server, "certificate-authority-data": Buffer.from(caData).toString("base64") } }],
      users: [{ name: "arc-portal-admin", user: { token } }],
      contexts: [{ name: "arc-test", context: { cluster: "arc-test", user: "arc-portal-admin", namespace: "default" } }],
      "current-context": "arc-test",
    };
    writeFileSync(kubeconfigPath, YAML.stringify(kubeconfig), { mode: 0o600 });

    if (opts.installArcCrds !== false) {
      await installArcCrds({ server, token, caData }, timeoutMs);
    }

    return {
      server,
      token,
      caFile,
      caData,
      kubeconfigPath,
      dataDir,
      stop,
      stopApiserver,
      startApiserver,
      restartApiserver: async () => {
        await stopApiserver();
        await startApiserver();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Server-side applies the (transformed) ARC CRDs and waits until they serve. */
export async function installArcCrds(
  c: { server: string; token: string; caData: string },
  timeoutMs = 60_000,
): Promise<void> {
  const auth = { Authorization: `Bearer ${c.token}` };
  const crds = loadArcCrds();
  for (const { name, crd } of crds) {
    // Client-side apply would exceed the 256 KiB last-applied annotation limit.
    const r = await request(
      `${c.server}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}?fieldManager=${FIELD_MANAGER}&force=true`,
      {
        method: "PATCH",
        headers: { ...auth, "Content-Type": "application/apply-patch+yaml", Accept: "application/json" },
        body: JSON.stringify(crd),
        ca: c.caData,
        timeoutMs: 60_000,
      },
    );
    if (r.status !== 200 && r.status !== 201) {
      throw new Error(`applying CRD ${name}: HTTP ${r.status}: ${r.body.slice(0, 4000)}`);
    }
  }
  for (const { name, crd } of crds) {
    await waitFor(`CRD ${name} Established`, timeoutMs, async () => {
      const r = await request(`${c.server}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`, {
        headers: auth,
        ca: c.caData,
      });
      if (r.status !== 200) return false;
      const conds: { type: string; status: string }[] = JSON.parse(r.body).status?.conditions ?? [];
      return conds.some((x) => x.type === "Established" && x.status === "True");
    });
    // Established can precede discovery; clients that resolve kinds need it.
    const spec = (crd as { spec: { group: string; names: { plural: string }; versions: { name: string }[] } }).spec;
    for (const v of spec.versions) {
      await waitFor(`${spec.names.plural}.${spec.group}/${v.name} served`, timeoutMs, async () => {
        const r = await request(`${c.server}/apis/${spec.group}/${v.name}`, { headers: auth, ca: c.caData });
        if (r.status !== 200) return false;
        const res: { name: string }[] = JSON.parse(r.body).resources ?? [];
        return res.some((x) => x.name === spec.names.plural);
      });
    }
  }
}

/**
 * Registers the Node objects a kubelet would (this API server runs none), so that the capacity
 * check has nodes to count. Each has 8 GPUs, 128 cores and 2Ti, as a large GPU node does, and
 * the label `arc-portal.dev/simulated=true`. Nodes already there are kept.
 */
export async function registerSimulatedNodes(
  c: { server: string; token: string; caData: string },
  opts: { count: number; prefix: string; gpuResource?: string },
): Promise<void> {
  const allocatable = { [opts.gpuResource ?? "amd.com/gpu"]: "8", cpu: "128", memory: "2Ti", pods: "110" };
  for (let i = 0; i < opts.count; i++) {
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: `${opts.prefix}-${i}`, labels: { "arc-portal.dev/simulated": "true" } },
      status: { allocatable, capacity: allocatable },
    };
    const r = await request(`${c.server}/api/v1/nodes`, {
      method: "POST",
      headers: { Authorization: `Bearer ${c.token}`, "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(node),
      ca: c.caData,
    });
    if (r.status !== 201 && r.status !== 409) throw new Error(`registering node ${node.metadata.name}: HTTP ${r.status}: ${r.body.slice(0, 500)}`);
  }
}
