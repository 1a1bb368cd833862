import { isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";
import { requestLimits, scaleSetSchema } from "@/lib/requests/schema";
import { describeOverlay, diffOverlay, isPlainObject, type OverlayEntry, type OverlayObject, type ValuesData } from "./overlay";
import { unsupportedValuesKeys } from "./manifests-from-values";
import type { ScaleSetSpec } from "./scale-set-spec";
import type { ClusterSettings } from "./settings";
import { CONTACT_ANNOTATION, renderValues, TEAM_ANNOTATION } from "./values";
import { plainData } from "@/lib/plain-data";

// Import of a scale set that the portal did not create: its Helm values (an uploaded values
// file, or the values read back from a live AutoscalingRunnerSet) mapped onto the form's
// fields, plus an overlay that keeps everything else. Rendering the fields and applying the
// overlay gives the same values data back, so importing changes nothing on the cluster.

type Field = keyof ScaleSetSpec;

/** What the admin says about the scale set that the file may not: owner, where it runs. */
export type ImportHints = Partial<ScaleSetSpec>;

export type ValuesImport = {
  /** The form's fields: what the hints say, else what the file says. */
  fields: Partial<ScaleSetSpec>;
  /** Fields that are missing or invalid, with why; the import is complete once this is empty. */
  needsInput: { field: Field; why: string }[];
  /** The validated fields, once complete. */
  spec?: ScaleSetSpec;
  /** What the form cannot represent, applied after rendering the fields (lib/arc/overlay.ts). */
  advanced?: OverlayObject;
  /** The overlay in words, one line per change: nothing is dropped silently. */
  unrepresented: OverlayEntry[];
  /** Values keys kept in the overlay that the portal cannot apply as the chart would (proxy, …). */
  cannotApply: string[];
  /** Why the file cannot be imported at all (not YAML, not a map of values). */
  problems: string[];
};

/** Release name and namespace from the file's `helm upgrade --install "<name>" --namespace "<ns>"` comment. */
export function helmCommandHints(text: string): Pick<ImportHints, "label" | "namespace"> {
  const command = /helm\s+(?:upgrade\s+--install|install)\s+(?:"([^"\s]+)"|([^\s"-][^\s"]*))([^\n]*)/.exec(text);
  if (!command) return {};
  const label = command[1] ?? command[2];
  const namespace = /(?:--namespace|-n)(?:\s+|=)"?([^\s"]+)"?/.exec(command[3] ?? "")?.[1];
  return { ...(label ? { label } : {}), ...(namespace ? { namespace } : {}) };
}

/** Top-level keys of chart gha-runner-scale-set 0.14.2's values.yaml (reference/arc/), commented-out ones included. */
const CHART_VALUES_KEYS = new Set([
  "githubConfigUrl",
  "githubConfigSecret",
  "scaleSetLabels",
  "proxy",
  "maxRunners",
  "minRunners",
  "runnerGroup",
  "runnerScaleSetName",
  "githubServerTLS",
  "keyVault",
  "containerMode",
  "listenerTemplate",
  "listenerMetrics",
  "template",
  "controllerServiceAccount",
  "namespaceOverride",
  "annotations",
  "labels",
  "resourceMeta",
]);

/** Why parsed values are not a gha-runner-scale-set values file (another chart's, or not values at all). */
export function chartShapeProblems(values: ValuesData): string[] {
  const foreign = Object.keys(values).filter((key) => !CHART_VALUES_KEYS.has(key));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(", ");
    return [`The file is not a gha-runner-scale-set values file: the chart has no value ${shown}${foreign.length > 5 ? ", …" : ""}`];
  }
  if (!("githubConfigUrl" in values) && !("template" in values) && !("runnerScaleSetName" in values)) {
    return ["The file is not a gha-runner-scale-set values file: it has neither githubConfigUrl, template nor runnerScaleSetName"];
  }
  return [];
}

/** A values file for one scale set has a few hundred keys and list items, nested a dozen deep. */
export const MAX_VALUES_ENTRIES = 5_000;
export const MAX_VALUES_DEPTH = 32;

/**
 * Why the parsed document is more than a values file could be, or has a key twice in one map; in
 * one pass. The yaml library's own uniqueKeys check compares each key with every earlier one of its
 * map (22,000 keys took 10–22 s of the event loop), and the import walks the values recursively.
 */
function shapeProblem(doc: Document.Parsed): string | undefined {
  let entries = 0;
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_VALUES_DEPTH) return `The file nests values more than ${MAX_VALUES_DEPTH} levels deep; a values file for one scale set needs a dozen at most.`;
    entries += node.items.length;
    if (entries > MAX_VALUES_ENTRIES) return `The file has more than ${MAX_VALUES_ENTRIES.toLocaleString("en")} keys and list items; a values file for one scale set has a few hundred.`;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        // YAML 1.1 merge keys (<<) may repeat; a key that is itself a map or list is compared as text.
        const id = key === "<<" || typeof key === "symbol" ? undefined : isScalar(pair.key) ? `${typeof key}:${String(key)}` : `node:${String(pair.key)}`;
        if (id !== undefined) {
          if (seen.has(id)) return `The file is not valid YAML: map keys must be unique; ${JSON.stringify(String(key).slice(0, 60))} appears twice in one map`;
          seen.add(id);
        }
        stack.push({ node: pair.value, depth: depth + 1 });
      }
    } else {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

/** An uploaded values file read the way Helm reads it (YAML 1.1), or why it cannot be. */
export function readValuesFile(text: string): { values: ValuesData; problems: [] } | { values?: undefined; problems: string[] } {
  const doc = parseDocument(text, { version: "1.1", uniqueKeys: false });
  // Only the first line of each message: the rest quotes the file, which may hold a private key.
  const errors = [...doc.errors, ...doc.warnings].map((e) => `The file is not valid YAML: ${firstLine(e.message)}`);
  if (errors.length > 0) return { problems: errors };
  const tooMuch = shapeProblem(doc);
  if (tooMuch) return { problems: [tooMuch] };
  let values: unknown;
  try {
    values = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // Too many aliases (a "billion laughs" file) and the like.
    return { problems: [`The file is not valid YAML: ${firstLine((err as Error).message)}`] };
  }
  if (!isPlainObject(values)) return { problems: ["The file must be a map of Helm values (githubConfigUrl, template, …)"] };
  return { values, problems: [] };
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? "").replace(/:\s*$/, "").slice(0, 300);
}

/** Parses an uploaded values file the way Helm reads it (YAML 1.1) and imports it. */
export function importValuesFile(text: string, settings: ClusterSettings, hints: ImportHints = {}): ValuesImport {
  const read = readValuesFile(text);
  if (!read.values) return failed(read.problems);
  return importValues(read.values, settings, { ...helmCommandHints(text), ...hints });
}

function failed(problems: string[]): ValuesImport {
  return { fields: {}, needsInput: [], unrepresented: [], cannotApply: [], problems };
}

type Loose = { [key: string]: unknown };

const asObject = (value: unknown): Loose => (isPlainObject(value) ? value : {});
const asList = (value: unknown): Loose[] => (Array.isArray(value) ? value.filter(isPlainObject) : []);
const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;

const labelInValues = (values: ValuesData) => text(values.runnerScaleSetName);

/** The label importValues's fields would hold (a hint wins over the file), without the whole import. */
export function importedLabel(values: ValuesData, hints: ImportHints = {}): string | undefined {
  return hints.label ?? labelInValues(values);
}

/** The form's fields as the values say them; absent ones are left out. */
export function fieldsFromValues(values: ValuesData, settings: ClusterSettings): Partial<ScaleSetSpec> {
  const pod = asObject(asObject(values.template).spec);
  const containers = asList(pod.containers);
  const initContainers = asList(pod.initContainers);
  const runner = containers.find((c) => c.name === "runner") ?? containers[0];
  const resources = asObject(runner?.resources);
  const requests = asObject(resources.requests);
  const limits = asObject(resources.limits);
  const annotations = asObject(values.annotations);
  const gpuAmount = requests[settings.gpuResourceName] ?? limits[settings.gpuResourceName];
  const image = text(runner?.image);
  const docker =
    [...containers, ...initContainers].some((c) => c.name === "dind") ||
    asObject(values.containerMode).type === "dind";

  const gpus = gpuAmount === undefined ? 0 : Number(gpuAmount);
  const fields: Partial<ScaleSetSpec> = {
    team: text(annotations[TEAM_ANNOTATION]),
    contact: text(annotations[CONTACT_ANNOTATION]),
    githubConfigUrl: text(values.githubConfigUrl),
    label: labelInValues(values),
    memory: text(requests.memory ?? limits.memory),
    cpu: text(requests.cpu ?? limits.cpu),
    gpus,
    // The chart's defaults when the file leaves them out: no idle runners; no maximum,
    // which the form cannot say (the overlay keeps it absent; see importValues).
    minRunners: typeof values.minRunners === "number" ? values.minRunners : 0,
    maxRunners: typeof values.maxRunners === "number" ? values.maxRunners : undefined,
    docker,
    image: image === settings.defaultRunnerImage ? undefined : image,
    gpuClass: gpus > 0 ? matchingGpuClass(pod, settings) : undefined,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<ScaleSetSpec>;
}

/**
 * The GPU class whose placement is exactly the pod's, when it is not the default class (which
 * a request without a class gets anyway). No match: the default class, and the overlay keeps
 * the file's placement, as for any other value the form cannot say.
 */
function matchingGpuClass(pod: Loose, settings: ClusterSettings): string | undefined {
  const key = (nodeSelector: unknown, tolerations: unknown) =>
    JSON.stringify([sortedKeys(asObject(nodeSelector)), Array.isArray(tolerations) ? tolerations.map((t) => sortedKeys(asObject(t))) : []]);
  const wanted = key(pod.nodeSelector, pod.tolerations);
  const matches = settings.gpuClasses.filter((c) => key(c.nodeSelector, c.tolerations) === wanted);
  if (matches.length === 0 || matches.some((c) => c.name === settings.defaultGpuClass)) return undefined;
  return matches[0]!.name;
}

function sortedKeys(o: Loose): Loose {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

const WHY_MISSING: Partial<Record<Field, string>> = {
  team: "the file does not say which team owns the scale set",
  contact: "the file names no contact",
  label: "the file has no runnerScaleSetName; give the Helm release name",
  namespace: "a values file does not say its namespace; give the one it was installed in",
  githubConfigUrl: "the file has no githubConfigUrl",
  memory: "the runner container requests no memory",
  cpu: "the runner container requests no CPU",
};

/**
 * The values mapped onto the form's fields (hints win over the file) and, once the fields are
 * complete and valid, the overlay that turns their rendering back into exactly these values.
 */
export function importValues(values: ValuesData, settings: ClusterSettings, hints: ImportHints = {}): ValuesImport {
  const fromFile = fieldsFromValues(values, settings);
  const definedHints = Object.fromEntries(Object.entries(hints).filter(([, v]) => v !== undefined));
  // Without a maximum in the file the scale set is unbounded; the field takes the cluster's
  // ceiling (what the capacity check should assume) and the overlay removes it again.
  const fields: Partial<ScaleSetSpec> = {
    maxRunners: settings.maxRunnersCeiling,
    ...fromFile,
    ...definedHints,
  } as Partial<ScaleSetSpec>;

  const needsInput: ValuesImport["needsInput"] = [];
  const parsed = scaleSetSchema(requestLimits(settings)).safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "") as Field;
      if (needsInput.some((n) => n.field === field)) continue;
      const missing = fields[field] === undefined;
      needsInput.push({ field, why: missing ? (WHY_MISSING[field] ?? issue.message) : issue.message });
    }
    return { fields, needsInput, unrepresented: [], cannotApply: unsupportedValuesKeys(values), problems: [] };
  }
  const spec = parsed.data;
  const rendered = plainData<ValuesData>(renderValues(spec, settings));
  const advanced = diffOverlay(rendered, plainData(values));
  return {
    fields,
    needsInput,
    spec,
    ...(advanced ? { advanced } : {}),
    unrepresented: describeOverlay(rendered, advanced),
    cannotApply: unsupportedValuesKeys(values),
    problems: [],
  };
}

const PROVISIONAL_OWNER = { team: "Owner to be chosen", contact: "@owner-to-be-chosen" };

/**
 * For showing an incomplete import: the overlay and its description as they will be once the
 * admin names the owner, so the list of what the form cannot represent shows before the import
 * is complete. The owner only changes the objects' team/contact annotations. Never stored.
 */
export function withProvisionalOverlay(result: ValuesImport, values: ValuesData, settings: ClusterSettings, hints: ImportHints = {}): ValuesImport {
  if (result.spec || result.problems.length > 0) return result;
  const definedHints = Object.fromEntries(Object.entries(hints).filter(([, v]) => v !== undefined));
  const trial = importValues(values, settings, { ...PROVISIONAL_OWNER, ...definedHints });
  return trial.spec ? { ...result, ...(trial.advanced ? { advanced: trial.advanced } : {}), unrepresented: trial.unrepresented } : result;
}
