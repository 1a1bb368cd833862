import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { seal } from "../lib/crypto/aes-gcm";
import { defaultClusterSettings } from "../lib/arc/settings";
import { freePort } from "../scripts/db/embedded-postgres";
import { tokenKubeconfig } from "../test/harness/kubeconfig-text";
import { TEST_SECRETS } from "../test/harness/test-env";
import { appPem, expect, fillRequestForm, INSTALLATION, PORTAL_APP, prisma, test } from "./fixtures";

// A fleet of two: the run's real API server (the default cluster) and a second cluster whose API
// server is gone. The requester prefers the second; the reviewer sees both side by side (the gone
// one as "unreachable", without holding up the other or the page) and approves onto the first.

/** The run's own cluster, the default one. */
function homeCluster() {
  const name = process.env.DEFAULT_CLUSTER_NAME || "ossci";
  return prisma.cluster.upsert({ where: { name }, update: {}, create: { name, displayName: name } });
}

/** Gives the form the App the local GitHub knows, submits it, and returns the new request's id. */
async function submitWithApp(page: Page): Promise<string> {
  await page.getByLabel("App ID or Client ID").fill(String(PORTAL_APP.id));
  await page.getByLabel("Installation ID").fill(String(INSTALLATION["e2e-org"]));
  await page.getByLabel("Private key", { exact: true }).fill(appPem());
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page).toHaveURL(/\/requests\/c[a-z0-9]+$/);
  return page.url().split("/").pop()!;
}

test("the requester prefers a cluster; the reviewer compares both clusters' capacity and approves onto the other", async ({ users }) => {
  test.setTimeout(120_000);
  const s = randomBytes(3).toString("hex");
  const home = await homeCluster();
  const far = await prisma.cluster.create({
    data: {
      name: `far-${s}`,
      displayName: "Far away",
      connection: "KUBECONFIG",
      kubeconfigCiphertext: seal(tokenKubeconfig(`https://127.0.0.1:${await freePort()}`), TEST_SECRETS.ENCRYPTION_KEY),
      // Its own runner image, so the form's preview shows whose settings it renders with.
      settings: { ...defaultClusterSettings, defaultRunnerImage: `ghcr.io/far/runner:${s}` },
    },
  });
  const label = `choice-${s}`;
  try {
    const requester = await users.create({ team: "choice-team" });
    const reviewer = await users.create({ role: "REVIEWER" });
    const team = await users.pageAs(requester);

    // The requester picks the cluster by its label; the preview follows that cluster's settings.
    await team.goto("/requests/new");
    await fillRequestForm(team, { team: "choice-team", label });
    await expect(team.getByLabel("Cluster")).toHaveValue("");
    await expect(team.getByTestId("preview-values")).toContainText("ghcr.io/actions/actions-runner");
    await team.getByLabel("Cluster").selectOption({ label: `Far away (far-${s})` });
    await expect(team.getByTestId("preview-values")).toContainText(`ghcr.io/far/runner:${s}`);
    const id = await submitWithApp(team);
    expect(await prisma.runnerRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ preferredClusterId: far.id, clusterId: far.id });
    await expect(team.getByTestId("cluster").first()).toHaveText(`Far away (far-${s})`);

    // The queue names the cluster of each request.
    const review = await users.pageAs(reviewer);
    await review.goto("/review");
    const row = review.getByRole("row", { name: new RegExp(label) });
    await expect(row.getByTestId("cluster")).toHaveText(`far-${s}`);
    await row.getByRole("link", { name: label }).click();

    // Both clusters side by side: the live one with its numbers, the gone one unreachable.
    const compare = review.getByTestId("capacity-compare");
    await expect(compare).toBeVisible();
    await expect(compare.getByTestId(`cluster-state-${home.name}`)).toContainText("reachable ·");
    await expect(compare.getByTestId(`cluster-state-far-${s}`)).toHaveText("unreachable");
    await expect(compare.getByTestId(`cluster-gpu-${home.name}`)).toContainText("2 /");
    await expect(compare.getByTestId(`cluster-verdict-far-${s}`)).toHaveText("unknown");
    // The requester's preference is the default choice; the reviewer picks the reachable one.
    await expect(compare.getByRole("radio", { name: /Far away/ })).toBeChecked();
    await compare.getByRole("radio", { name: home.name === home.displayName ? home.name : new RegExp(home.name) }).check();
    await expect(review.getByTestId("capacity-check")).toContainText(`Capacity on ${home.displayName}`);
    await review.getByRole("button", { name: "Approve" }).click();
    await expect(review.getByTestId("status")).toHaveText(/approved|provisioning|ready/);
    await expect(review.getByTestId("cluster").first()).toHaveText(home.displayName === home.name ? home.name : `${home.displayName} (${home.name})`);
    await expect(review.getByText(`(prefers Far away (far-${s}))`)).toBeVisible();
    await expect(review.getByTestId("timeline-event").filter({ hasText: `the requester preferred Far away (far-${s})` })).toHaveCount(1);

    const approved = await prisma.runnerRequest.findUniqueOrThrow({ where: { id }, include: { labelClaim: true } });
    expect(approved).toMatchObject({ clusterId: home.id, preferredClusterId: far.id });
    expect(approved.labelClaim).toMatchObject({ clusterId: home.id, label });
  } finally {
    // Later specs expect a fleet of one: the second cluster goes, with the preference that names it.
    await prisma.labelClaim.deleteMany({ where: { clusterId: far.id } });
    await prisma.runnerRequest.updateMany({ where: { preferredClusterId: far.id }, data: { preferredClusterId: null } });
    await prisma.cluster.delete({ where: { id: far.id } }).catch(() => undefined);
  }
});

test("on a cluster with two GPU classes the requester picks one by its label, and the preview places runners on its nodes", async ({ users }) => {
  const s = randomBytes(3).toString("hex");
  const classes = await prisma.cluster.create({
    data: {
      name: `classes-${s}`,
      displayName: "Two GPU kinds",
      settings: {
        ...defaultClusterSettings,
        gpuClasses: [
          { name: "mi300", description: "MI300X nodes, 8 GPUs each", nodeSelector: { pool: `mi300-${s}` }, tolerations: [] },
          {
            name: "mi250",
            description: "MI250 nodes reserved for CI",
            nodeSelector: { pool: `mi250-${s}` },
            tolerations: [{ key: "ci", operator: "Equal", value: "reserved", effect: "NoSchedule" }],
          },
        ],
        defaultGpuClass: "mi300",
        teamMaxGpus: 3,
      },
    },
  });
  const label = `classes-${s}`;
  try {
    const requester = await users.create({ team: "classes-team" });
    const team = await users.pageAs(requester);
    await team.goto("/requests/new");
    await fillRequestForm(team, { team: "classes-team", label });
    await team.getByLabel("Cluster").selectOption({ label: `Two GPU kinds (classes-${s})` });
    // The default class until the requester picks another; each option reads with its description.
    await expect(team.getByLabel("GPU class")).toHaveValue("mi300");
    await expect(team.getByTestId("preview-values")).toContainText(`pool: mi300-${s}`);
    await team.getByLabel("GPU class").selectOption({ label: "mi250: MI250 nodes reserved for CI" });
    await expect(team.getByTestId("preview-values")).toContainText(`pool: mi250-${s}`);
    await expect(team.getByTestId("preview-values")).toContainText("value: reserved");
    await expect(team.getByTestId("preview-values")).not.toContainText(`mi300-${s}`);
    const id = await submitWithApp(team);
    const row = await prisma.runnerRequest.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ clusterId: classes.id, spec: { gpuClass: "mi250" } });

    // The reviewer sees the class and what the team would hold of the cluster's team ceiling.
    const review = await users.pageAs(await users.create({ role: "REVIEWER" }));
    await review.goto(`/requests/${id}`);
    await expect(review.locator("dt", { hasText: /^GPU class$/ }).locator("xpath=following-sibling::dd")).toHaveText("mi250");
    await expect(review.getByTestId("team-ceilings")).toContainText("Team classes-team would use 2 of 3 GPUs on this cluster");
    // The run's own cluster has no mi250 class: the comparison says an approval there would be refused, and why.
    const home = await homeCluster();
    await expect(review.getByTestId(`cluster-verdict-${home.name}`)).toContainText("not eligible");
    await expect(review.getByTestId(`cluster-verdict-${home.name}`)).toContainText("GPU class mi250 does not exist on this cluster.");
    // Its own cluster is eligible: the verdict is about capacity only (its nodes have no pool label here).
    await expect(review.getByTestId(`cluster-verdict-classes-${s}`)).toHaveText(/^(fits|does not fit|unknown)$/);
  } finally {
    // Later specs expect a fleet of one: the request (events are append-only, so it stays) moves home, out of the queue.
    const home = await homeCluster();
    await prisma.labelClaim.deleteMany({ where: { clusterId: classes.id } });
    await prisma.runnerRequest.updateMany({ where: { clusterId: classes.id }, data: { clusterId: home.id, preferredClusterId: null, status: "REJECTED" } });
    await prisma.cluster.delete({ where: { id: classes.id } }).catch(() => undefined);
  }
});
