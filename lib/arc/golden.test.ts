import { describe, it } from "vitest";
import { expectGolden, GOLDEN_REQUESTS, goldenRequest } from "./__golden__/load";
import { renderManifests } from "./manifests";
import { defaultClusterSettings } from "./settings";
import { renderValuesYaml } from "./values";
import { renderWorkflowYaml } from "./workflow";
import { multiDocumentYaml } from "./yaml";

// Byte-for-byte: any change to what a team lead or the cluster sees shows up as a diff here.
describe.each(GOLDEN_REQUESTS)("golden output for the %s request", (name) => {
  const request = goldenRequest(name);

  it("values file", () => {
    expectGolden(`${name}.values.yaml`, renderValuesYaml(request, defaultClusterSettings));
  });

  it("manifests", () => {
    expectGolden(`${name}.manifests.yaml`, multiDocumentYaml(renderManifests(request, defaultClusterSettings)));
  });

  it("sample workflow", () => {
    expectGolden(`${name}.workflow.yaml`, renderWorkflowYaml(request));
  });
});
