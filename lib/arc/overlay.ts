import { plainData } from "@/lib/plain-data";

// The "advanced" overlay of a scale set: everything its Helm values hold that the form's
// fields cannot say (extra hostPath volumes, supplementalGroups, a pre-defined Secret, …),
// kept as a patch that is applied to what the rendering core renders from the fields.
//
// The format is an RFC 7386 JSON merge patch (objects merge, `null` removes a key, any other
// value replaces), extended for Kubernetes' named lists, so that a container, volume or
// environment variable is patched by its name rather than by its position, and the overlay
// still fits when the fields change the list (docker on/off adds and removes containers):
//   { "$byName": { "<name>": <patch> | null }, "$order": ["<name>", …] }
// `$order` appears when items are added or the order differs from the base's (a database
// may reorder an object's keys, so the order of $byName's keys means nothing). `{ "$replace": <value> }` writes a value literally,
// for the rare value a merge patch cannot carry (null, or an object with null or $-keys).
// Pure functions without I/O: the form and the review page show the same overlay.

export type OverlayObject = { [key: string]: unknown };

/** What a values file parses to: plain JSON-like data. */
export type ValuesData = { [key: string]: unknown };

const BY_NAME = "$byName";
const ORDER = "$order";
const REPLACE = "$replace";

export function isPlainObject(value: unknown): value is OverlayObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

type Named = OverlayObject & { name: string };

/** A list every item of which is an object with a name of its own (containers, volumes, env, …). */
function isNamedList(value: unknown): value is Named[] {
  if (!Array.isArray(value)) return false;
  const names = new Set<string>();
  for (const item of value) {
    if (!isPlainObject(item) || typeof item.name !== "string" || names.has(item.name)) return false;
    names.add(item.name);
  }
  return true;
}

// ---- apply ----------------------------------------------------------------------------

/** The overlay applied to a value; neither argument is changed. */
export function applyOverlay<T>(base: T, overlay: OverlayObject | undefined | null): T {
  if (!overlay) return plainData(base);
  return apply(base, overlay) as T;
}

function apply(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return plainData(patch);
  if (REPLACE in patch) return plainData(patch[REPLACE]);
  if (BY_NAME in patch) return applyByName(isNamedList(base) ? base : [], patch);
  const result: OverlayObject = isPlainObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = apply(result[key], value);
  }
  return plainData(result);
}

function applyByName(base: Named[], patch: OverlayObject): unknown[] {
  const byName = isPlainObject(patch[BY_NAME]) ? patch[BY_NAME] : {};
  const result: unknown[] = [];
  const seen = new Set<string>();
  for (const item of base) {
    seen.add(item.name);
    if (!(item.name in byName)) result.push(plainData(item));
    else if (byName[item.name] !== null) result.push(apply(item, byName[item.name]));
  }
  // A patch of an item the fields no longer render (docker turned off removes "dind") is
  // dropped; only whole items, which carry their name, are added.
  for (const [name, itemPatch] of Object.entries(byName)) {
    if (!seen.has(name) && isWholeItem(name, itemPatch)) result.push(apply({ name }, itemPatch));
  }
  const order = patch[ORDER];
  if (!Array.isArray(order)) return result;
  // The items $order names are put in its order, in the places they occupy; items it does not
  // name (ones the rendering core added since) stay where the core put them.
  const rank = (item: unknown) => (isPlainObject(item) ? order.indexOf(item.name) : -1);
  const slots = result.map((item, at) => (rank(item) === -1 ? -1 : at)).filter((at) => at !== -1);
  const ordered = slots.map((at) => result[at]).sort((a, b) => rank(a) - rank(b));
  slots.forEach((at, i) => (result[at] = ordered[i]));
  return result;
}

function isWholeItem(name: string, patch: unknown): boolean {
  if (!isPlainObject(patch)) return false;
  const item = REPLACE in patch ? patch[REPLACE] : patch;
  return isPlainObject(item) && item.name === name;
}

// ---- diff -----------------------------------------------------------------------------

const SAME = Symbol("same");

/**
 * The overlay that turns `base` into `target`: applyOverlay(base, diffOverlay(base, target))
 * deep-equals target. Undefined when they are already equal. Both must be objects.
 */
export function diffOverlay(base: ValuesData, target: ValuesData): OverlayObject | undefined {
  const patch = diff(base, target);
  return patch === SAME ? undefined : (patch as OverlayObject);
}

function diff(base: unknown, target: unknown): unknown {
  if (deepEqual(base, target)) return SAME;
  if (isPlainObject(base) && isPlainObject(target)) {
    const patch: OverlayObject = {};
    for (const [key, value] of Object.entries(target)) {
      const change = key in base ? diff(base[key], value) : literal(value);
      if (change !== SAME) patch[key] = change;
    }
    for (const key of Object.keys(base)) if (!(key in target)) patch[key] = null;
    return patch;
  }
  if (isNamedList(base) && isNamedList(target)) return diffByName(base, target);
  return literal(target);
}

function diffByName(base: Named[], target: Named[]): OverlayObject {
  const byName: OverlayObject = {};
  const baseByName = new Map(base.map((item) => [item.name, item]));
  const targetNames = new Set(target.map((item) => item.name));
  for (const item of target) {
    const before = baseByName.get(item.name);
    const change = before ? diff(before, item) : literal(item);
    if (change !== SAME) byName[item.name] = change;
  }
  for (const item of base) if (!targetNames.has(item.name)) byName[item.name] = null;
  const natural = [
    ...base.filter((item) => targetNames.has(item.name)).map((item) => item.name),
    ...target.filter((item) => !baseByName.has(item.name)).map((item) => item.name),
  ];
  const wanted = target.map((item) => item.name);
  // With added items the order is always written out: PostgreSQL's jsonb does not keep the
  // order of an object's keys, so $byName cannot carry it.
  const added = target.some((item) => !baseByName.has(item.name));
  return { [BY_NAME]: byName, ...(!added && deepEqual(natural, wanted) ? {} : { [ORDER]: wanted }) };
}

/** The value as a patch that writes it; wrapped where a merge patch would read it otherwise. */
function literal(value: unknown): unknown {
  return mergeWouldAlter(value) ? { [REPLACE]: plainData(value) } : plainData(value);
}

function mergeWouldAlter(value: unknown): boolean {
  if (value === null) return true;
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([key, inner]) => key.startsWith("$") || mergeWouldAlter(inner));
}

// ---- description ----------------------------------------------------------------------

export type OverlayEntry = {
  /** Where in the values file, with list items by name: template.spec.volumes[k8s-mount]. */
  path: string;
  /** What the overlay does there, in words. */
  what: string;
};

/**
 * One line per change the overlay makes to the rendered values, for the import page and the
 * reviewer: nothing the form cannot show goes unmentioned.
 */
export function describeOverlay(base: ValuesData, overlay: OverlayObject | undefined): OverlayEntry[] {
  if (!overlay) return [];
  const entries: OverlayEntry[] = [];
  walk(base, overlay, "", entries);
  return entries;
}

function walk(base: unknown, patch: unknown, path: string, out: OverlayEntry[]): void {
  const key = lastKey(path);
  if (patch === null) {
    out.push({ path, what: removedText(key, base) });
    return;
  }
  if (isPlainObject(patch) && BY_NAME in patch) {
    const byName = isPlainObject(patch[BY_NAME]) ? patch[BY_NAME] : {};
    const items = isNamedList(base) ? base : [];
    for (const [name, itemPatch] of Object.entries(byName)) {
      const before = items.find((item) => item.name === name);
      const itemPath = `${path}[${name}]`;
      if (itemPatch === null) out.push({ path: itemPath, what: `removed ${itemKind(key)} "${name}"` });
      else if (!before && isWholeItem(name, itemPatch)) {
        out.push({ path: itemPath, what: addedItemText(key, name, apply({ name }, itemPatch)) });
      } else if (!before) out.push({ path: itemPath, what: `changes ${itemKind(key)} "${name}", which is not rendered` });
      else walk(before, itemPatch, itemPath, out);
    }
    const order = Array.isArray(patch[ORDER]) ? patch[ORDER].map(String) : undefined;
    if (order) {
      // Only worth a line when kept items move, not when added ones go where they would anyway.
      const kept = items.filter((item) => byName[item.name] !== null).map((item) => item.name);
      const natural = [...kept, ...order.filter((name) => !kept.includes(name))];
      if (!deepEqual(order, natural)) out.push({ path, what: `in this order: ${order.join(", ")}` });
    }
    return;
  }
  if (isPlainObject(patch) && !(REPLACE in patch) && isPlainObject(base)) {
    for (const [inner, value] of Object.entries(patch)) walk(base[inner], value, join(path, inner), out);
    return;
  }
  const value = isPlainObject(patch) && REPLACE in patch ? patch[REPLACE] : patch;
  out.push({ path, what: setText(key, base, value) });
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function lastKey(path: string): string {
  const match = /([^.[\]]+)(?:\[[^\]]*\])?$/.exec(path);
  return match?.[1] ?? path;
}

const ITEM_KINDS: Record<string, string> = {
  containers: "container",
  initContainers: "init container",
  volumes: "volume",
  volumeMounts: "volume mount",
  env: "environment variable",
  ports: "port",
};

function itemKind(listKey: string): string {
  return ITEM_KINDS[listKey] ?? "entry";
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function addedItemText(listKey: string, name: string, item: unknown): string {
  const it = isPlainObject(item) ? item : {};
  if (listKey === "volumes" && isPlainObject(it.hostPath)) {
    const type = typeof it.hostPath.type === "string" ? ` (${it.hostPath.type})` : "";
    return `extra hostPath volume "${name}" of the node's ${String(it.hostPath.path)}${type}`;
  }
  if (listKey === "volumeMounts") {
    return `extra mount of volume "${name}" at ${String(it.mountPath)}${it.readOnly === true ? ", read-only" : ""}`;
  }
  if (listKey === "env") return `extra environment variable ${name}=${short(it.value ?? it.valueFrom)}`;
  if (listKey === "containers" || listKey === "initContainers") {
    return `extra ${itemKind(listKey)} "${name}" (image ${String(it.image)})`;
  }
  return `extra ${itemKind(listKey)} "${name}": ${short(item)}`;
}

const REMOVED: Record<string, string> = {
  maxRunners: "no maxRunners: the scale set has no upper bound (the form's Maximum runners is not applied)",
  minRunners: "no minRunners: the chart's default of 0 idle runners applies",
  runnerScaleSetName: "no runnerScaleSetName: the chart takes the release name, which is the label",
  annotations: "no team/contact annotations on the objects, as in the file",
  startupProbe: "no startup probe",
};

function removedText(key: string, before: unknown): string {
  return REMOVED[key] ?? `removed (the rendering core would set ${short(before)})`;
}

const SET: Record<string, string> = {
  githubConfigSecret: "a pre-defined Secret: the portal neither creates nor changes it",
  supplementalGroups: "supplementalGroups (extra group IDs for the pod's processes)",
  "ephemeral-storage": "an ephemeral-storage amount",
  nodeSelector: "a node selector",
  tolerations: "tolerations",
  securityContext: "a security context",
  fsGroup: "fsGroup",
  command: "its own command",
  args: "its own arguments",
  imagePullPolicy: "an image pull policy",
  ports: "container ports",
};

function setText(key: string, before: unknown, value: unknown): string {
  const what = SET[key];
  const prefix = what ? `${what}: ` : "";
  return before === undefined ? `added ${prefix}${short(value)}` : `${prefix}${short(value)} instead of ${short(before)}`;
}
