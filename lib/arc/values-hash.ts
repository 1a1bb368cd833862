import { sha256Hex } from "./sha256";
import type { HelmValues } from "./values";

// Chart 0.14.2 annotates the AutoscalingRunnerSet with `toJson .Values | sha256sum | trunc 63`,
// and the controller restarts the listener whenever it changes. Reproducing Helm's value
// keeps our objects identical to `helm template` output, so a team lead may still run helm.

// .Values is the chart's values.yaml merged with ours. Ours overrides every default except
// these two, which therefore appear in the hashed JSON.
const CHART_DEFAULTS_KEPT = { namespaceOverride: "", scaleSetLabels: [] };

export function valuesHash(values: HelmValues): string {
  return sha256Hex(goJson({ ...CHART_DEFAULTS_KEPT, ...values })).slice(0, 63);
}

/** JSON as Go's encoding/json writes it: sorted map keys, and <, >, & escaped as \u003c etc. */
function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${goString(k)}:${goJson(v)}`).join(",")}}`;
  }
  return typeof value === "string" ? goString(value) : JSON.stringify(value);
}

function goString(text: string): string {
  return JSON.stringify(text).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
