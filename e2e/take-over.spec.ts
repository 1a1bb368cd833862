import { renderScaleSetObjects } from "../lib/arc/scale-set-objects";
import { defaultClusterSettings } from "../lib/arc/settings";
import type { KubeObject } from "../lib/arc/kube-types";
import { arsPath, kubeRequest } from "../test/harness/kube-request";
import { expect, prisma, scaleSetAnswers, test } from "./fixtures";

// A scale set helm installed, imported as a request: the reviewer's first re-apply is the
// explicit "Take over from helm", which the page names and explains, and which ends READY with
// the portal as the objects' manager and the team told what helm must not do any more.

const kube = () => JSON.parse(process.env.E2E_KUBE!) as { server: string; token: string; caData: string };

function collection(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  if (obj.kind === "ServiceAccount") return `/api/v1/namespaces/${ns}/serviceaccounts`;
  if (obj.kind === "Role") return `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`;
  if (obj.kind === "RoleBinding") return `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`;
  return `/apis/actions.github.com/v1alpha1/namespaces/${ns}/autoscalingrunnersets`;
}

test("a reviewer takes an imported helm scale set over from the request page", async ({ users }) => {
  test.setTimeout(120_000);
  const reviewer = await users.create({ role: "REVIEWER" });
  const owner = await users.create({ team: "takeover-team" });
  const label = `helm-${Date.now() % 100000}`;
  const namespace = `arc-${label}`;
  const spec = { ...scaleSetAnswers({ team: "takeover-team", label }), image: undefined, gpuClass: undefined };

  // What `helm install` left: the chart's objects, written by "helm", with helm's own hash of its values file.
  expect((await kubeRequest(kube(), "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } })).status).toBe(201);
  for (const obj of renderScaleSetObjects(spec, defaultClusterSettings, null).objects.filter((o) => o.kind !== "Secret")) {
    obj.metadata.labels = { ...obj.metadata.labels, "app.kubernetes.io/managed-by": "Helm" };
    obj.metadata.annotations = { ...obj.metadata.annotations, "meta.helm.sh/release-name": label, "meta.helm.sh/release-namespace": namespace };
    if (obj.kind === "AutoscalingRunnerSet") obj.metadata.annotations["actions.github.com/values-hash"] = "hash-of-helms-values-file";
    const res = await kubeRequest(kube(), "POST", `${collection(obj)}?fieldManager=helm`, obj);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  // The request an import makes (lib/clusters/import-request.ts): READY, no key, marked as helm's.
  const cluster = await prisma.cluster.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
  const team = await prisma.team.findUniqueOrThrow({ where: { slug: "takeover-team" } });
  const stored = { ...spec, githubApp: { appId: null, installationId: null, keyFingerprint: null } };
  const request = await prisma.runnerRequest.create({
    data: {
      status: "READY",
      teamId: team.id,
      requesterId: owner.id,
      clusterId: cluster.id,
      label,
      namespace,
      spec: stored,
      approvedSpec: stored,
      approvedAt: new Date(),
      submittedAt: new Date(),
      adoptFrom: "helm",
      events: { create: { actorId: reviewer.id, type: "import", toStatus: "READY", message: "Imported from the cluster." } },
      labelClaim: { create: { clusterId: cluster.id, label } },
    },
  });

  const page = await users.pageAs(reviewer);
  await page.goto(`/requests/${request.id}`);
  await expect(page.getByText("Imported: its objects still belong to helm.")).toBeVisible();
  await page.getByRole("button", { name: "Take over from helm" }).click();
  await expect(page.getByTestId("status")).toHaveText("ready", { timeout: 60_000 });
  await expect(page.getByTestId("timeline-event").filter({ hasText: "The portal took this scale set over from helm" })).toHaveCount(1);
  await expect(page.getByTestId("timeline-event").filter({ hasText: "forced metadata.annotations.actions.github.com/values-hash from helm" })).toHaveCount(1);
  // The portal's from now on: a re-apply is a plain re-apply again.
  await expect(page.getByRole("button", { name: "Take over from helm" })).toHaveCount(0);

  const ars = await kubeRequest(kube(), "GET", arsPath(namespace, label));
  const managers = (ars.body.metadata.managedFields as { manager: string; subresource?: string }[]).filter((m) => !m.subresource).map((m) => m.manager);
  expect(managers).toEqual(["arc-runner-portal"]);
  expect(ars.body.metadata.annotations["meta.helm.sh/release-name"]).toBeUndefined();
  expect((await prisma.runnerRequest.findUniqueOrThrow({ where: { id: request.id } })).adoptFrom).toBeNull();
});
