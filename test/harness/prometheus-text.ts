// A strict reader of the Prometheus text exposition format (0.0.4) for tests: every line
// must parse, every sample must belong to a family declared by # TYPE before it, no series
// may repeat, and histograms must be consistent (cumulative buckets, +Inf = _count).
// Throws with the line number on the first problem.

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\[\\"n])*)"\s*(,|$)/y;
const SUFFIXES: Record<string, string[]> = { counter: [""], gauge: [""], untyped: [""], histogram: ["_bucket", "_sum", "_count"], summary: ["", "_sum", "_count"] };

function parseValue(s: string): number {
  if (s === "+Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  if (s === "NaN") return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new Error(`not a number: ${s}`);
  return Number(s);
}

function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const at = LABEL.lastIndex;
    const m = LABEL.exec(text);
    if (!m || m.index !== at) throw new Error(`bad label set: {${text}}`);
    if (m[1]! in out) throw new Error(`label ${m[1]} repeated`);
    out[m[1]!] = m[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));
    if (m[3] === "") break;
  }
  return out;
}

export function parsePrometheusText(text: string): Map<string, ParsedFamily> {
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const families = new Map<string, ParsedFamily>();
  const seen = new Set<string>();
  const lines = text.slice(0, -1).split("\n");
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${line}`;
    try {
      if (line.trim() === "") return;
      const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (meta) {
        const [, kind, name, rest] = meta as unknown as [string, string, string, string];
        if (!NAME.test(name)) throw new Error("bad metric name");
        const f = families.get(name) ?? { name, type: "untyped", help: "", samples: [] };
        if (f.samples.length > 0) throw new Error(`${kind} after samples`);
        if (kind === "TYPE") {
          if (!(rest in SUFFIXES)) throw new Error(`unknown type ${rest}`);
          f.type = rest;
        } else f.help = rest;
        families.set(name, f);
        return;
      }
      if (line.startsWith("#")) return;
      const m = SAMPLE.exec(line);
      if (!m) throw new Error("not a sample");
      const [, name, , labelText, value] = m as unknown as [string, string, string | undefined, string | undefined, string];
      const family = [...families.values()].find((f) => SUFFIXES[f.type]!.some((s) => `${f.name}${s}` === name));
      if (!family) throw new Error(`sample ${name} has no # TYPE before it`);
      const labels = labelText ? parseLabels(labelText) : {};
      const id = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seen.has(id)) throw new Error("series repeated");
      seen.add(id);
      family.samples.push({ name, labels, value: parseValue(value) });
    } catch (err) {
      throw new Error(`${where}\n${(err as Error).message}`);
    }
  });
  for (const f of families.values()) if (f.type === "histogram") checkHistogram(f);
  return families;
}

function checkHistogram(f: ParsedFamily) {
  const groups = new Map<string, ParsedSample[]>();
  for (const s of f.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [key, samples] of groups) {
    const buckets = samples.filter((s) => s.name.endsWith("_bucket"));
    const count = samples.find((s) => s.name === `${f.name}_count`);
    const inf = buckets.find((b) => b.labels.le === "+Inf");
    if (!count || !inf || !samples.some((s) => s.name === `${f.name}_sum`)) throw new Error(`${f.name}${key}: needs _bucket{le="+Inf"}, _sum and _count`);
    const ordered = buckets.map((b) => ({ le: parseValue(b.labels.le!), v: b.value })).sort((a, b) => a.le - b.le);
    ordered.forEach((b, i) => {
      if (i > 0 && b.v < ordered[i - 1]!.v) throw new Error(`${f.name}${key}: buckets are not cumulative`);
    });
    if (inf.value !== count.value) throw new Error(`${f.name}${key}: +Inf bucket ${inf.value} != _count ${count.value}`);
  }
}

/** The value of one series, or undefined. */
export function sampleValue(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of families.values()) {
    const s = f.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v) && Object.keys(x.labels).length === Object.keys(labels).length);
    if (s) return s.value;
  }
  return undefined;
}
