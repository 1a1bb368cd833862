import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { arcReferenceDir } from "@/test/harness/kube";
import { MAX_VALUES_FILE_CHARS } from "@/lib/clusters/import-body";
import { helmCommandHints, importValues, importValuesFile, importedLabel, MAX_VALUES_DEPTH, MAX_VALUES_ENTRIES, readValuesFile, type ValuesImport } from "./import-values";
import { renderOverlaidValues, renderOverlaidValuesYaml } from "./overlaid-values";
import type { OverlayObject } from "./overlay";
import type { ScaleSetSpec } from "./scale-set-spec";
import { defaultClusterSettings, type ClusterSettings } from "./settings";

// The two production values files from the OSSCI cluster, installed by hand before the portal.
const REFERENCE_DIR = path.resolve(arcReferenceDir(), "../aks-githubarc-setup");
const REFERENCE_FILES = ["linux-mi300-1gpu-ossci-nod-ai.yaml", "linux-mi300-1gpu-ossci-rocm.yaml"];
const reference = (file: string) => readFileSync(path.join(REFERENCE_DIR, file), "utf8");

const OWNER = { team: "ROCm", contact: "@rocm-lead" };

/** Helm reads values files with a YAML 1.1 parser. */
const helmParse = (text: string): unknown => parse(text, { version: "1.1" });

function complete(result: ValuesImport): { spec: ScaleSetSpec; advanced: OverlayObject | undefined } {
  expect(result.problems).toEqual([]);
  expect(result.needsInput).toEqual([]);
  if (!result.spec) throw new Error("import incomplete");
  return { spec: result.spec, advanced: result.advanced };
}

describe.each(REFERENCE_FILES)("importing %s", (file) => {
  const text = reference(file);
  const settings = defaultClusterSettings;

  it("renders back to the same values data (import → render → parse)", () => {
    const { spec, advanced } = complete(importValuesFile(text, settings, OWNER));
    const rendered = renderOverlaidValuesYaml(spec, settings, advanced);
    expect(helmParse(rendered)).toStrictEqual(helmParse(text));
    // The overlay is stored as JSON in the database; the round trip holds through that too.
    const stored = JSON.parse(JSON.stringify(advanced)) as OverlayObject;
    expect(helmParse(renderOverlaidValuesYaml(spec, settings, stored))).toStrictEqual(helmParse(text));
  });

  it("maps the five playbook answers and the label onto the form's fields", () => {
    const { spec } = complete(importValuesFile(text, settings, OWNER));
    expect(spec).toMatchObject({
      ...OWNER,
      label: file.replace(/\.yaml$/, ""),
      namespace: "arc-runner-test-nfs",
      memory: "75000Mi",
      cpu: "25000m",
      gpus: 1,
      minRunners: 0,
      docker: true,
      image: "ghcr.io/saienduri/ghascale-rocm-dev:main",
    });
    // No maximum in the file: the field assumes the ceiling, the overlay keeps it unbounded.
    expect(spec.maxRunners).toBe(settings.maxRunnersCeiling);
  });

  it("lists what the form cannot represent, including the pre-defined Secret and the absent maximum", () => {
    const { unrepresented } = importValuesFile(text, settings, OWNER);
    const paths = unrepresented.map((u) => u.path);
    expect(paths).toContain("githubConfigSecret");
    expect(paths).toContain("maxRunners");
    expect(paths).toContain("template.spec.containers[runner].command");
    expect(unrepresented.find((u) => u.path === "githubConfigSecret")?.what).toMatch(/pre-defined Secret/);
  });
});

describe("the nod-ai file's extras", () => {
  const result = importValuesFile(reference(REFERENCE_FILES[0]!), defaultClusterSettings, OWNER);

  it("lists its hostPath volumes, mounts, node selector, tolerations and extra env", () => {
    const byPath = new Map(result.unrepresented.map((u) => [u.path, u.what]));
    expect(byPath.get("template.spec.volumes[k8s-mount]")).toMatch(/hostPath volume .*\/mnt_k8s\/persistant/);
    expect(byPath.get("template.spec.volumes[k8s-cache]")).toMatch(/hostPath volume .*\/mnt_k8s\/cache/);
    expect(byPath.get("template.spec.containers[runner].volumeMounts[k8s-mount]")).toMatch(/read-only/);
    expect(byPath.get("template.spec.nodeSelector")).toMatch(/santaclara/);
    expect(byPath.get("template.spec.tolerations")).toMatch(/shark-ci/);
    expect(byPath.get("template.spec.containers[runner].env[IREE_TEST_FILES]")).toMatch(/iree-regression-cache/);
  });

  it("needs no overlay for the placement when the cluster's GPU placement is the file's", () => {
    const placed: ClusterSettings = {
      ...defaultClusterSettings,
      gpuClasses: [
        {
          name: "default",
          nodeSelector: { santaclara: "yes" },
          tolerations: [{ key: "shark-ci", operator: "Equal", value: "reserved", effect: "NoSchedule" }],
        },
      ],
    };
    const again = importValuesFile(reference(REFERENCE_FILES[0]!), placed, OWNER);
    const paths = again.unrepresented.map((u) => u.path);
    expect(paths).not.toContain("template.spec.nodeSelector");
    expect(paths).not.toContain("template.spec.tolerations");
    const { spec, advanced } = complete(again);
    expect(helmParse(renderOverlaidValuesYaml(spec, placed, advanced))).toStrictEqual(
      helmParse(reference(REFERENCE_FILES[0]!)),
    );
    expect(spec.gpuClass).toBeUndefined();
  });

  it("picks the GPU class whose placement is the file's, and needs no overlay for it", () => {
    const classes: ClusterSettings = {
      ...defaultClusterSettings,
      gpuClasses: [
        { name: "mi300", nodeSelector: { pool: "mi300" }, tolerations: [] },
        {
          name: "santaclara",
          description: "The Santa Clara nodes reserved for shark CI",
          // Same placement as the file, keys in another order.
          nodeSelector: { santaclara: "yes" },
          tolerations: [{ effect: "NoSchedule", key: "shark-ci", value: "reserved", operator: "Equal" }],
        },
      ],
      defaultGpuClass: "mi300",
    };
    const again = importValuesFile(reference(REFERENCE_FILES[0]!), classes, OWNER);
    expect(again.fields.gpuClass).toBe("santaclara");
    const paths = again.unrepresented.map((u) => u.path);
    expect(paths).not.toContain("template.spec.nodeSelector");
    expect(paths).not.toContain("template.spec.tolerations");
    const { spec, advanced } = complete(again);
    expect(helmParse(renderOverlaidValuesYaml(spec, classes, advanced))).toStrictEqual(
      helmParse(reference(REFERENCE_FILES[0]!)),
    );
    // No class matches: the default class, and the overlay keeps the file's placement.
    const none = importValuesFile(reference(REFERENCE_FILES[0]!), { ...classes, gpuClasses: [classes.gpuClasses[0]!] }, OWNER);
    expect(none.fields.gpuClass).toBeUndefined();
    expect(none.unrepresented.map((u) => u.path).filter((p) => p.startsWith("template.spec.nodeSelector"))).not.toEqual([]);
  });
});

describe("an imported scale set edited afterwards", () => {
  const { spec, advanced } = complete(
    importValuesFile(reference(REFERENCE_FILES[0]!), defaultClusterSettings, OWNER),
  );
  type Pod = { containers: { name: string; resources: { requests: Record<string, unknown> } }[]; volumes?: { name: string }[]; initContainers?: { name: string }[] };
  const pod = (s: ScaleSetSpec) =>
    (renderOverlaidValues(s, defaultClusterSettings, advanced) as { template: { spec: Pod } }).template.spec;

  it("takes a changed field and keeps the overlay's extras", () => {
    const edited = pod({ ...spec, memory: "128Gi", gpus: 2 });
    const runner = edited.containers.find((c) => c.name === "runner");
    expect(runner?.resources.requests).toMatchObject({ memory: "128Gi", "amd.com/gpu": 2 });
    expect(edited.volumes?.map((v) => v.name)).toEqual(expect.arrayContaining(["k8s-mount", "k8s-cache"]));
  });

  it("drops patches of containers the fields no longer render, rather than adding half a container", () => {
    const base = pod({ ...spec, docker: false });
    expect(base.initContainers ?? []).toEqual([]);
    expect(base.containers.map((c) => c.name)).toEqual(["runner"]);
  });
});

describe("values the form cannot hold", () => {
  const rocm = reference(REFERENCE_FILES[1]!);
  // supplementalGroups and an ephemeral-storage request: the examples.
  const extended = rocm
    .replace("    initContainers:", "    securityContext:\n      supplementalGroups: [109, 44]\n    initContainers:")
    .replace("            amd.com/gpu: 1\n          limits:", "            amd.com/gpu: 1\n            ephemeral-storage: 200Gi\n          limits:");

  it("keeps supplementalGroups and ephemeral-storage in the overlay and names them", () => {
    const result = importValuesFile(extended, defaultClusterSettings, OWNER);
    const byPath = new Map(result.unrepresented.map((u) => [u.path, u.what]));
    expect(byPath.get("template.spec.securityContext")).toMatch(/109/);
    expect(byPath.get("template.spec.containers[runner].resources.requests.ephemeral-storage")).toMatch(
      /ephemeral-storage.*200Gi/,
    );
    const { spec, advanced } = complete(result);
    expect(helmParse(renderOverlaidValuesYaml(spec, defaultClusterSettings, advanced))).toStrictEqual(
      helmParse(extended),
    );
  });

  it("keeps a stated maximum as the field, without an overlay entry", () => {
    const withMax = `${rocm}\nmaxRunners: 4\nminRunners: 1\n`;
    const result = importValuesFile(withMax, defaultClusterSettings, OWNER);
    expect(result.spec).toMatchObject({ maxRunners: 4, minRunners: 1 });
    expect(result.unrepresented.map((u) => u.path)).not.toContain("maxRunners");
    const { spec, advanced } = complete(result);
    expect(helmParse(renderOverlaidValuesYaml(spec, defaultClusterSettings, advanced))).toStrictEqual(
      helmParse(withMax),
    );
  });
});

describe("what the admin must still say", () => {
  it("asks for the owner when the file names none", () => {
    const result = importValuesFile(reference(REFERENCE_FILES[1]!), defaultClusterSettings);
    expect(result.spec).toBeUndefined();
    expect(result.needsInput.map((n) => n.field).sort()).toEqual(["contact", "team"]);
    expect(result.needsInput.find((n) => n.field === "team")?.why).toMatch(/which team/);
  });

  it("asks for the label and namespace without a helm command comment", () => {
    const body = reference(REFERENCE_FILES[1]!).replace(/^#.*$/gm, "");
    const result = importValuesFile(body, defaultClusterSettings, OWNER);
    expect(result.needsInput.map((n) => n.field).sort()).toEqual(["label", "namespace"]);
    const given = importValuesFile(body, defaultClusterSettings, { ...OWNER, label: "mi300-rocm", namespace: "arc-rocm" });
    expect(given.spec).toMatchObject({ label: "mi300-rocm", namespace: "arc-rocm" });
  });

  it("reports a file that is not a values file", () => {
    expect(importValuesFile("a: [1\n", defaultClusterSettings).problems[0]).toMatch(/not valid YAML/);
    expect(importValuesFile("- 1\n- 2\n", defaultClusterSettings).problems[0]).toMatch(/map of Helm values/);
    expect(importValuesFile("a: 1\na: 2\n", defaultClusterSettings).problems[0]).toMatch(/not valid YAML/);
  });

  it("refuses a file with more keys or depth than a values file has, naming the limit, and finds a key given twice among thousands", () => {
    // 6,000 keys in one map: the yaml library's own duplicate check compared every pair (22,000 took 7–22 s).
    const many = `githubConfigUrl: https://github.com/x\ntemplate:\n  metadata:\n    annotations: {${Array.from({ length: 6_000 }, (_, i) => `k${i}: v`).join(", ")}}\n`;
    expect(many.length).toBeLessThan(MAX_VALUES_FILE_CHARS);
    expect(importValuesFile(many, defaultClusterSettings).problems).toEqual([
      `The file has more than ${MAX_VALUES_ENTRIES.toLocaleString("en")} keys and list items; a values file for one scale set has a few hundred.`,
    ]);
    const deep = `githubConfigUrl: https://github.com/x\ntemplate: ${"{a: ".repeat(40)}1${"}".repeat(40)}\n`;
    expect(importValuesFile(deep, defaultClusterSettings).problems).toEqual([`The file nests values more than ${MAX_VALUES_DEPTH} levels deep; a values file for one scale set needs a dozen at most.`]);
    const deepList = `githubConfigUrl: https://github.com/x\ntemplate: ${"[".repeat(40)}${"]".repeat(40)}\n`;
    expect(importValuesFile(deepList, defaultClusterSettings).problems[0]).toMatch(/nests values more than/);

    // Just under the limit, a duplicate at the very end is still found, and named.
    const keys = Array.from({ length: MAX_VALUES_ENTRIES - 10 }, (_, i) => `      k${i}: v\n`).join("");
    const twice = `githubConfigUrl: https://github.com/x\ntemplate:\n  metadata:\n    annotations:\n${keys}      k0: again\n`;
    expect(importValuesFile(twice, defaultClusterSettings).problems).toEqual(['The file is not valid YAML: map keys must be unique; "k0" appears twice in one map']);
    // The same key in two different maps, and YAML 1.1 merge keys, are fine.
    const fine = importValuesFile("githubConfigUrl: https://github.com/x\nbase: &b {a: 1}\ntemplate:\n  metadata: {labels: {a: x}, annotations: {a: y}}\n", defaultClusterSettings);
    expect(fine.problems.join()).not.toMatch(/unique|more than|nests/);
    expect(readValuesFile("a: &x {p: 1}\nb: {<<: *x, <<: *x, q: 2}\n").problems).toEqual([]);
  });

  it("reads the release name and namespace from the deployment command", () => {
    expect(helmCommandHints('# sudo helm upgrade --install "x-1"     --namespace "arc-a" oci://ghcr.io/…')).toEqual({
      label: "x-1",
      namespace: "arc-a",
    });
    expect(helmCommandHints("helm install y -n arc-b gha-runner-scale-set")).toEqual({ label: "y", namespace: "arc-b" });
    expect(helmCommandHints("no command here")).toEqual({});
  });

  it("reads the label without the whole import, as the import's fields say it", () => {
    const file = helmParse(reference(REFERENCE_FILES[1]!)) as Record<string, unknown>;
    const named = { ...file, runnerScaleSetName: "from-file" };
    const cases: [Record<string, unknown>, { label?: string }][] = [
      [named, {}],
      [named, { label: "given" }],
      [named, { label: undefined }],
      [file, {}],
      [file, { label: "given" }],
      [{ ...file, runnerScaleSetName: 42 }, {}],
      [{ ...file, runnerScaleSetName: ["not", "text"] }, {}],
    ];
    for (const [values, hints] of cases) {
      expect(importedLabel(values, hints)).toBe(importValues(values, defaultClusterSettings, hints).fields.label);
    }
    expect([importedLabel(named), importedLabel(named, { label: "given" }), importedLabel(file)]).toEqual(["from-file", "given", undefined]);
  });
});
