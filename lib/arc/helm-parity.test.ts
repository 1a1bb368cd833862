import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { GOLDEN_REQUESTS, goldenPath, goldenRequest } from "./__golden__/load";
import { renderManifests } from "./manifests";
import { defaultClusterSettings } from "./settings";

// helm-template-*.yaml is real Helm output for the golden values files (see each file's
// header); this compares it with our objects without needing helm or the chart in CI.

const HELM_ONLY_LABELS = ["helm.sh/chart", "app.kubernetes.io/managed-by"];

type Loose = { metadata: { labels: Record<string, string> } };

function helmObjects(name: string): unknown[] {
  const text = readFileSync(goldenPath(`helm-template-${name}.yaml`), "utf8");
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Loose | null)
    .filter((object): object is Loose => object !== null)
    .map((object) => {
      for (const label of HELM_ONLY_LABELS) {
        expect(object.metadata.labels).toHaveProperty([label]);
        delete object.metadata.labels[label];
      }
      return object;
    });
}

describe.each(GOLDEN_REQUESTS)("the %s request against helm template", (name) => {
  it("renders the same objects, field for field, but for Helm's own labels", () => {
    // A JSON round trip gives our objects the plain shape parsed YAML has.
    const ours = JSON.parse(JSON.stringify(renderManifests(goldenRequest(name), defaultClusterSettings)));
    // On a deliberate change, regenerate the fixture with the command in its header.
    expect(ours).toStrictEqual(helmObjects(name));
  });
});
