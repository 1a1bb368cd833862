import type { ClusterSettings } from "@/lib/arc/settings";

// The settings form's state: text as typed (numbers included, so a half-typed value is not
// lost), each GPU class's node selector and tolerations as rows. toSettings() gives what the shared schema checks.

export type SelectorRow = { key: string; value: string };
export type TolerationRow = { key: string; operator: "" | "Equal" | "Exists"; value: string; effect: string; seconds: string };

export type GpuClassForm = { name: string; description: string; nodeSelector: SelectorRow[]; tolerations: TolerationRow[] };

export const emptyGpuClass = (): GpuClassForm => ({ name: "", description: "", nodeSelector: [], tolerations: [] });

export type SettingsForm = {
  gpuResourceName: string;
  gpuClasses: GpuClassForm[];
  defaultGpuClass: string;
  defaultRunnerImage: string;
  dindImage: string;
  controllerName: string;
  controllerNamespace: string;
  chartVersion: string;
  secretNameTemplate: string;
  maxRunnersCeiling: string;
  maxGpusPerRunner: string;
  /** Blank: no ceiling. */
  teamMaxRunners: string;
  teamMaxGpus: string;
  allowCreateNamespace: boolean;
  /** Comma- or space-separated, as typed. */
  reservedNamespaces: string;
};

export function formFromSettings(s: ClusterSettings): SettingsForm {
  return {
    gpuResourceName: s.gpuResourceName,
    gpuClasses: s.gpuClasses.map((c) => ({
      name: c.name,
      description: c.description ?? "",
      nodeSelector: Object.entries(c.nodeSelector).map(([key, value]) => ({ key, value })),
      tolerations: c.tolerations.map((t) => ({
        key: t.key ?? "",
        operator: t.operator ?? "",
        value: t.value ?? "",
        effect: t.effect ?? "",
        seconds: t.tolerationSeconds === undefined ? "" : String(t.tolerationSeconds),
      })),
    })),
    defaultGpuClass: s.defaultGpuClass,
    defaultRunnerImage: s.defaultRunnerImage,
    dindImage: s.dindImage,
    controllerName: s.controllerServiceAccount.name,
    controllerNamespace: s.controllerServiceAccount.namespace,
    chartVersion: s.chartVersion,
    secretNameTemplate: s.secretNameTemplate,
    maxRunnersCeiling: String(s.maxRunnersCeiling),
    maxGpusPerRunner: String(s.maxGpusPerRunner),
    teamMaxRunners: s.teamMaxRunners === null ? "" : String(s.teamMaxRunners),
    teamMaxGpus: s.teamMaxGpus === null ? "" : String(s.teamMaxGpus),
    allowCreateNamespace: s.allowCreateNamespace,
    reservedNamespaces: s.reservedNamespaces.join(", "),
  };
}

const whole = (t: string) => (/^\s*\d+\s*$/.test(t) ? Number(t) : t.trim() === "" ? undefined : Number.NaN);

/** The settings as the server will receive them; the shared schema then says what is wrong. */
export function settingsFromForm(f: SettingsForm): unknown {
  return {
    controllerServiceAccount: { name: f.controllerName.trim(), namespace: f.controllerNamespace.trim() },
    secretNameTemplate: f.secretNameTemplate.trim(),
    defaultRunnerImage: f.defaultRunnerImage.trim(),
    dindImage: f.dindImage.trim(),
    gpuResourceName: f.gpuResourceName.trim(),
    chartVersion: f.chartVersion.trim(),
    maxRunnersCeiling: whole(f.maxRunnersCeiling),
    maxGpusPerRunner: whole(f.maxGpusPerRunner),
    allowCreateNamespace: f.allowCreateNamespace,
    reservedNamespaces: f.reservedNamespaces.split(/[\s,]+/).filter(Boolean),
    teamMaxRunners: whole(f.teamMaxRunners) ?? null,
    teamMaxGpus: whole(f.teamMaxGpus) ?? null,
    gpuClasses: f.gpuClasses.map((c) => ({
      name: c.name.trim(),
      ...(c.description.trim() ? { description: c.description.trim() } : {}),
      nodeSelector: Object.fromEntries(c.nodeSelector.filter((r) => r.key.trim() !== "").map((r) => [r.key.trim(), r.value.trim()])),
      tolerations: c.tolerations.map((t) => {
        const out: Record<string, unknown> = {};
        if (t.key.trim()) out.key = t.key.trim();
        if (t.operator) out.operator = t.operator;
        if (t.value.trim()) out.value = t.value.trim();
        if (t.effect) out.effect = t.effect;
        if (t.seconds.trim()) out.tolerationSeconds = whole(t.seconds);
        return out;
      }),
    })),
    defaultGpuClass: f.defaultGpuClass.trim(),
  };
}

/** The form field that shows an error for a schema path. */
export function fieldForPath(path: string): string {
  if (path === "controllerServiceAccount.name") return "controllerName";
  if (path === "controllerServiceAccount.namespace") return "controllerNamespace";
  // gpuClasses.1.tolerations.0.operator → gpuClasses.1.tolerations: the rows show one error.
  const inClass = /^gpuClasses\.(\d+)\.(name|description|nodeSelector|tolerations)/.exec(path);
  if (inClass) return `gpuClasses.${inClass[1]}.${inClass[2]}`;
  if (path.startsWith("reservedNamespaces.")) return "reservedNamespaces";
  return path;
}
