import { readFileSync } from "node:fs";
import https from "node:https";
import YAML from "yaml";
import type { KubeCluster } from "./kube";

/** What kubeRequest needs, read from a kubeconfig file as startKube writes it (inline token and CA). */
export function clusterFromKubeconfig(file: string): Pick<KubeCluster, "server" | "token" | "caData"> {
  const kc = YAML.parse(readFileSync(file, "utf8"));
  return {
    server: kc.clusters[0].cluster.server,
    token: kc.users[0].user.token,
    caData: Buffer.from(kc.clusters[0].cluster["certificate-authority-data"], "base64").toString(),
  };
}

/** Raw HTTP against the test API server, as kubectl or the ARC controller would send it. */
export function kubeRequest(cluster: Pick<KubeCluster, "server" | "token" | "caData">, method: string, path: string, body?: unknown, contentType = "application/json") {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = https.request(
      new URL(path, cluster.server),
      {
        method,
        ca: cluster.caData,
        headers: { Authorization: `Bearer ${cluster.token}`, Accept: "application/json", ...(body ? { "Content-Type": contentType } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
  });
}

export const arsPath = (namespace: string, name: string) => `/apis/actions.github.com/v1alpha1/namespaces/${namespace}/autoscalingrunnersets/${name}`;

