import { describe, expect, it } from "vitest";
import { GOLDEN_REQUESTS, goldenRequest } from "./__golden__/load";
import { renderManifests } from "./manifests";
import { manifestsFromValues, unsupportedValuesKeys } from "./manifests-from-values";
import type { ValuesData } from "./overlay";
import { defaultClusterSettings } from "./settings";
import { renderValues } from "./values";

const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as ValuesData;

describe.each(GOLDEN_REQUESTS)("objects from the %s request's values", (name) => {
  it("are renderManifests' objects (and so helm template's)", () => {
    const spec = goldenRequest(name);
    const values = plain(renderValues(spec, defaultClusterSettings));
    expect(plain(manifestsFromValues(values, spec, defaultClusterSettings))).toStrictEqual(
      plain(renderManifests(spec, defaultClusterSettings)),
    );
  });
});

describe("values the form does not render", () => {
  const spec = goldenRequest("dind");
  const values = plain(renderValues(spec, defaultClusterSettings));

  it("leave out minRunners and maxRunners when the values do, and name the release when runnerScaleSetName is absent", () => {
    const { minRunners: _min, maxRunners: _max, runnerScaleSetName: _name, ...rest } = values;
    const ars = manifestsFromValues(rest, { label: "from-release", namespace: "ns" }, defaultClusterSettings).at(-1)!;
    expect(ars.metadata.name).toBe("from-release");
    expect(ars.spec).not.toHaveProperty("minRunners");
    expect(ars.spec).not.toHaveProperty("maxRunners");
    expect(ars.spec).toMatchObject({ runnerScaleSetName: "from-release" });
  });

  it("use the template's own service account instead of creating one", () => {
    const own = plain(values);
    (own.template as { spec: Record<string, unknown> }).spec.serviceAccountName = "runner-sa";
    const objects = manifestsFromValues(own, spec, defaultClusterSettings);
    expect(objects.map((o) => o.kind)).toEqual(["Role", "RoleBinding", "AutoscalingRunnerSet"]);
    expect(objects.at(-1)!.metadata.annotations).not.toHaveProperty("actions.github.com/cleanup-no-permission-service-account-name");
  });

  it("refuse keys the portal cannot apply as the chart would", () => {
    const proxied = { ...values, proxy: { http: { url: "http://proxy:3128" } } };
    expect(unsupportedValuesKeys(proxied)).toEqual(["proxy"]);
    expect(() => manifestsFromValues(proxied, spec, defaultClusterSettings)).toThrow(/proxy/);
  });
});
