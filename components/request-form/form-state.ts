import type { RunnerRequestInput } from "@/lib/requests/schema";

/** What the inputs hold: text everywhere, as typed. */
export interface FormState {
  team: string;
  contact: string;
  githubConfigUrl: string;
  label: string;
  namespace: string;
  memory: string;
  cpu: string;
  gpus: string;
  minRunners: string;
  maxRunners: string;
  docker: "yes" | "no" | "";
  image: string;
  /** "" = the cluster's default class. */
  gpuClass: string;
  appId: string;
  installationId: string;
  privateKey: string;
}

export const emptyForm: FormState = {
  team: "",
  contact: "",
  githubConfigUrl: "",
  label: "",
  namespace: "",
  memory: "",
  cpu: "",
  gpus: "1",
  minRunners: "0",
  maxRunners: "",
  docker: "",
  image: "",
  gpuClass: "",
  appId: "",
  installationId: "",
  privateKey: "",
};

/** A number field stays text until it looks like a number, so "abc" is reported as such. */
function num(v: string): number | string | undefined {
  const t = v.trim();
  if (t === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

/** The request body the shared schema and the server read. */
export function toRequestInput(f: FormState): RunnerRequestInput {
  return {
    team: f.team,
    contact: f.contact,
    githubConfigUrl: f.githubConfigUrl,
    label: f.label,
    namespace: f.namespace,
    memory: f.memory,
    cpu: f.cpu,
    gpus: num(f.gpus),
    minRunners: num(f.minRunners),
    maxRunners: num(f.maxRunners),
    docker: f.docker === "" ? undefined : f.docker === "yes",
    image: f.image,
    ...(f.gpuClass.trim() ? { gpuClass: f.gpuClass } : {}),
    githubApp: { appId: f.appId, installationId: f.installationId, privateKey: f.privateKey },
  } as RunnerRequestInput;
}

/** Which input shows an error for a schema path such as "githubApp.privateKey". */
export function inputForPath(path: string): keyof FormState {
  return (path.startsWith("githubApp.") ? path.slice("githubApp.".length) : path) as keyof FormState;
}

/** The inputs for editing stored answers; the key is never sent back, so its field starts empty. */
export function formFromSpec(spec: {
  team: string; contact: string; githubConfigUrl: string; label: string; namespace: string; memory: string; cpu: string;
  gpus: number; minRunners: number; maxRunners: number; docker: boolean; image?: string; gpuClass?: string;
  githubApp: { appId: string | null; installationId: string | null };
}): FormState {
  return {
    team: spec.team,
    contact: spec.contact,
    githubConfigUrl: spec.githubConfigUrl,
    label: spec.label,
    namespace: spec.namespace,
    memory: spec.memory,
    cpu: spec.cpu,
    gpus: String(spec.gpus),
    minRunners: String(spec.minRunners),
    maxRunners: String(spec.maxRunners),
    docker: spec.docker ? "yes" : "no",
    image: spec.image ?? "",
    gpuClass: spec.gpuClass ?? "",
    appId: spec.githubApp.appId ?? "",
    installationId: spec.githubApp.installationId ?? "",
    privateKey: "",
  };
}
