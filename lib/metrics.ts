// The portal's Prometheus metrics: a small hand-written registry and the text exposition
// format (version 0.0.4). Counters and histograms live in this process (each replica is
// scraped on its own); gauges read from the database at scrape time come in as families.
// Held on globalThis: Next bundles instrumentation (the provisioning worker) and route
// handlers (the /api/metrics route) separately, and both must count into the same place.

export type MetricType = "counter" | "gauge" | "histogram";
export type Labels = Record<string, string>;
export interface Sample {
  /** Suffix after the family name: "", "_bucket", "_sum", "_count". */
  suffix?: string;
  labels: Labels;
  value: number;
}
export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

/** Seconds; provisioning takes seconds to tens of minutes (a decommission waits for the controller). */
export const PROVISIONING_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

const DEFS = {
  http: { name: "arc_portal_http_requests_total", help: "API requests answered by this replica, by method and status code.", type: "counter" },
  provisioning: {
    name: "arc_portal_provisioning_duration_seconds",
    help: "Duration of provisioning attempts (apply or decommission), by outcome.",
    type: "histogram",
  },
  github: { name: "arc_portal_github_api_errors_total", help: "Failed GitHub API calls, by kind.", type: "counter" },
  kube: { name: "arc_portal_kubernetes_api_errors_total", help: "Failed Kubernetes API calls, by kind.", type: "counter" },
  readCache: {
    name: "arc_portal_read_cache_reads_total",
    help: "Reads through the in-process caches, by cache and result (hit, miss, or bypass while the change feed is down or READ_CACHE=off).",
    type: "counter",
  },
} as const satisfies Record<string, { name: string; help: string; type: MetricType }>;

type Key = keyof typeof DEFS;
type Series = { labels: Labels; value: number };
type HistogramSeries = { labels: Labels; buckets: number[]; sum: number; count: number };
interface Registry {
  counters: Map<Key, Map<string, Series>>;
  histograms: Map<Key, Map<string, HistogramSeries>>;
}

const holder = globalThis as unknown as { arcPortalMetrics?: Registry };
function registry(): Registry {
  holder.arcPortalMetrics ??= { counters: new Map(), histograms: new Map() };
  return holder.arcPortalMetrics;
}

const seriesKey = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

/** Label values from callers become a small, safe vocabulary: "rate-limited", "409", "timeout". */
function label(value: string | number): string {
  const v = String(value).toLowerCase().replace(/[^a-z0-9_.:-]+/g, "_").slice(0, 64);
  return v || "unknown";
}

function inc(key: Key, labels: Labels, by = 1): void {
  const families = registry().counters;
  const family = families.get(key) ?? new Map<string, Series>();
  families.set(key, family);
  const k = seriesKey(labels);
  const series = family.get(k) ?? { labels, value: 0 };
  series.value += by;
  family.set(k, series);
}

/** One API request answered (lib/auth/gate.ts `route()` calls this). */
export function countHttpRequest(method: string, status: number): void {
  inc("http", { method: label(method).toUpperCase(), code: String(status) });
}

/**
 * A failed GitHub API call. `kind`: the GitHubUnavailableError reason ("rate-limited",
 * "server-error", "network", "timeout") or the HTTP status ("401", "404").
 */
export function countGitHubError(kind: string | number): void {
  inc("github", { kind: label(kind) });
}

/**
 * A failed Kubernetes API call. `kind`: the HTTP status ("403", "409", "422", "503"), or
 * "unreachable" / "timeout" when no answer came. A 404 the caller expected (reading an
 * object that may not exist) is not an error.
 */
export function countKubeError(kind: string | number): void {
  inc("kube", { kind: label(kind) });
}

/** One read through a read cache (lib/db/read-cache.ts). */
export function countCacheRead(cache: string, result: "hit" | "miss" | "bypass"): void {
  inc("readCache", { cache: label(cache), result });
}

/** One provisioning attempt took `seconds`; `outcome` e.g. "ready", "decommissioned", "failed", "retry". */
export function observeProvisioning(seconds: number, outcome: string): void {
  if (!Number.isFinite(seconds) || seconds < 0) return;
  const families = registry().histograms;
  const family = families.get("provisioning") ?? new Map<string, HistogramSeries>();
  families.set("provisioning", family);
  const labels = { outcome: label(outcome) };
  const k = seriesKey(labels);
  const series = family.get(k) ?? { labels, buckets: PROVISIONING_BUCKETS.map(() => 0), sum: 0, count: 0 };
  PROVISIONING_BUCKETS.forEach((le, i) => {
    if (seconds <= le) series.buckets[i]!++;
  });
  series.sum += seconds;
  series.count++;
  family.set(k, series);
}

/** The families this process counted itself, in exposition order. */
export function processFamilies(): MetricFamily[] {
  const r = registry();
  const counter = (key: Key): MetricFamily => ({ ...DEFS[key], samples: [...(r.counters.get(key)?.values() ?? [])].map((s) => ({ labels: s.labels, value: s.value })) });
  const provisioning: MetricFamily = {
    ...DEFS.provisioning,
    samples: [...(r.histograms.get("provisioning")?.values() ?? [])].flatMap((s) => [
      ...PROVISIONING_BUCKETS.map((le, i) => ({ suffix: "_bucket", labels: { ...s.labels, le: String(le) }, value: s.buckets[i]! })),
      { suffix: "_bucket", labels: { ...s.labels, le: "+Inf" }, value: s.count },
      { suffix: "_sum", labels: s.labels, value: s.sum },
      { suffix: "_count", labels: s.labels, value: s.count },
    ]),
  };
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  const runtime: MetricFamily[] = [
    { name: "process_start_time_seconds", help: "Start time of the process since the Unix epoch, in seconds.", type: "gauge", samples: [{ labels: {}, value: Math.round(Date.now() / 1000 - process.uptime()) }] },
    { name: "process_cpu_seconds_total", help: "User and system CPU time spent, in seconds.", type: "counter", samples: [{ labels: {}, value: (cpu.user + cpu.system) / 1e6 }] },
    { name: "process_resident_memory_bytes", help: "Resident memory size, in bytes.", type: "gauge", samples: [{ labels: {}, value: mem.rss }] },
    { name: "nodejs_heap_used_bytes", help: "V8 heap in use, in bytes.", type: "gauge", samples: [{ labels: {}, value: mem.heapUsed }] },
  ];
  return [counter("http"), provisioning, counter("github"), counter("kube"), counter("readCache"), ...runtime];
}

const escapeHelp = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const escapeValue = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}

/** Prometheus text exposition format 0.0.4. */
export function formatMetrics(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeValue(v)}"`);
      lines.push(`${f.name}${s.suffix ?? ""}${labels.length ? `{${labels.join(",")}}` : ""} ${formatNumber(s.value)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
