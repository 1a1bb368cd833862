// What `helm upgrade --install <release> -n <ns> -f <file>` leaves on a cluster: the chart's
// objects, created by the field manager "helm" with Helm's labels and annotations. The portal
// did not create them; the import tests list and import them.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { manifestsFromValues } from "../../lib/arc/manifests-from-values";
import type { KubeObject } from "../../lib/arc/kube-types";
import type { ValuesData } from "../../lib/arc/overlay";
import { defaultClusterSettings } from "../../lib/arc/settings";
import { arcReferenceDir, type KubeCluster } from "../harness/kube";
import { kubeRequest } from "../harness/kube-request";

export const REFERENCE_DIR = path.resolve(arcReferenceDir(), "../aks-githubarc-setup");
export const referenceText = (file: string) => readFileSync(path.join(REFERENCE_DIR, file), "utf8");
export const referenceValues = (file: string) => parse(referenceText(file), { version: "1.1" }) as ValuesData;

function objectsPath(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  switch (obj.kind) {
    case "ServiceAccount":
      return `/api/v1/namespaces/${ns}/serviceaccounts`;
    case "Role":
      return `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`;
    case "RoleBinding":
      return `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`;
    default:
      return `/apis/actions.github.com/v1alpha1/namespaces/${ns}/autoscalingrunnersets`;
  }
}

type Api = Pick<KubeCluster, "server" | "token" | "caData">;

export async function createNamespace(cluster: Api, name: string) {
  const res = await kubeRequest(cluster, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  if (res.status !== 201) throw new Error(`namespace ${name}: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function helmInstall(cluster: Api, release: string, namespace: string, values: ValuesData) {
  for (const obj of manifestsFromValues(values, { label: release, namespace }, defaultClusterSettings)) {
    obj.metadata.labels["app.kubernetes.io/managed-by"] = "Helm";
    obj.metadata.labels["helm.sh/chart"] = "gha-rs-0.14.2";
    obj.metadata.annotations = { ...obj.metadata.annotations, "meta.helm.sh/release-name": release, "meta.helm.sh/release-namespace": namespace };
    const res = await kubeRequest(cluster, "POST", `${objectsPath(obj)}?fieldManager=helm`, obj);
    if (res.status !== 201) throw new Error(`${obj.kind} ${obj.metadata.name}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
