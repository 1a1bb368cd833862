import "server-only";
import { chartShapeProblems, helmCommandHints, importedLabel, importValues, readValuesFile, withProvisionalOverlay, type ImportHints, type ValuesImport } from "@/lib/arc/import-values";
import { describeOverlay, diffOverlay, type OverlayEntry, type ValuesData } from "@/lib/arc/overlay";
import { RFC1123_LABEL } from "@/lib/arc/kube-names";
import { githubSecretName } from "@/lib/arc/settings";
import type { Actor } from "@/lib/auth/actor";
import { seal } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { conflict, HttpError, unprocessable } from "@/lib/http-errors";
import { parseBody } from "./import-body-parse";
import { valuesImportBody } from "./import-body";
import { askCluster, importTarget, type ImportTarget } from "./import-connection";
import { importLiveScaleSet, LiveScaleSetNotFound, type LiveImport } from "./import-live";
import { needsInputErrors, refuseUnappliable } from "./import-live-flow";
import { createImportedRequest } from "./import-request";
import { summarise, takeGitHubSecret, type GitHubSecretSource } from "./import-secret";
import { ownerName } from "./import-team";

// Importing an uploaded values file. The file is mapped onto the form's fields plus an overlay
// (lib/arc/import-values.ts). What becomes of it depends on the cluster:
// - the scale set runs there already (installed by hand with this file): the import binds to
//   it, as an import from the cluster does. It is READY and its LIVE spec is the approved
//   version, because that is what runs; where the file differs from it is listed. Nothing in
//   the cluster changes.
// - it does not run: the file is a request like any other, SUBMITTED for a reviewer's
//   decision (never the importing admin's own), and provisioning applies it with its overlay.
// - the portal manages it already, or the cluster cannot be asked: nothing is imported.

type LiveState =
  | { state: "running"; message: string }
  | { state: "absent"; message: string }
  | { state: "managed"; message: string }
  | { state: "unreachable"; message: string; status: number }
  | { state: "unknown"; message: string };

type NeedsInput = { field: string; why: string }[];

type Plan = {
  target: ImportTarget;
  owner: { name: string | undefined; exists: boolean };
  source: GitHubSecretSource;
  /** The file's values as the import reads them (credentials replaced by the Secret's name). */
  values: ValuesData;
  fromFile: Omit<ValuesImport, "needsInput"> & { needsInput: NeedsInput };
  live: LiveState;
  liveImport?: LiveImport;
  /** Where the file differs from the running scale set. */
  differences: OverlayEntry[];
};

async function checkLive(target: ImportTarget, fields: ValuesImport["fields"], hints: ImportHints) {
  const { label, namespace } = fields;
  // Only names the API server could hold are looked up.
  const nameable = (v: string | undefined): v is string => !!v && v.length <= 63 && RFC1123_LABEL.test(v);
  if (!nameable(label) || !nameable(namespace)) return { live: { state: "unknown", message: "Give the runner label and namespace to check the cluster." } as LiveState };
  const holder = await db.labelClaim.findUnique({
    where: { clusterId_label: { clusterId: target.cluster.id, label } },
    select: { request: { select: { number: true } } },
  });
  if (holder) {
    return { live: { state: "managed", message: `Request #${holder.request.number} already holds the label "${label}" on this cluster.` } as LiveState };
  }
  try {
    const kube = target.kube();
    const liveImport = await askCluster(kube, () => importLiveScaleSet(kube, target.settings, { namespace, name: label }, hints));
    if (liveImport.managedByPortal) {
      return { live: { state: "managed", message: `The portal already manages "${label}" in namespace "${namespace}".` } as LiveState };
    }
    return {
      live: { state: "running", message: `"${label}" runs in namespace "${namespace}" on ${target.cluster.displayName}, installed without the portal.` } as LiveState,
      liveImport,
    };
  } catch (err) {
    if (err instanceof LiveScaleSetNotFound) {
      return { live: { state: "absent", message: `"${label}" does not run in namespace "${namespace}" on ${target.cluster.displayName}.` } as LiveState };
    }
    if (err instanceof HttpError) return { live: { state: "unreachable", message: err.message, status: err.status } as LiveState };
    throw err;
  }
}

async function plan(clusterId: string, body: unknown): Promise<Plan> {
  const input = parseBody(valuesImportBody, body);
  const target = await importTarget(clusterId);
  const read = readValuesFile(input.file);
  const problems = read.values ? chartShapeProblems(read.values) : read.problems;
  if (!read.values || problems.length > 0) throw unprocessable(problems.join(" "), { file: problems });
  const { rest, source } = takeGitHubSecret(read.values, input.githubSecret);
  const owner = await ownerName(input.team);
  const given: ImportHints = {
    ...(owner.name ? { team: owner.name } : {}),
    ...(input.contact ? { contact: input.contact } : {}),
    ...(input.label ? { label: input.label } : {}),
    ...(input.namespace ? { namespace: input.namespace } : {}),
    ...(input.githubConfigUrl ? { githubConfigUrl: input.githubConfigUrl } : {}),
  };
  const hints = { ...helmCommandHints(input.file), ...given };

  // The label decides the name of the Secret helm makes from inline credentials.
  const label = importedLabel(rest, hints);
  const secretName =
    source.kind === "named" ? source.name : source.kind === "inline-app" && label ? githubSecretName(target.settings, label) : undefined;
  const values: ValuesData = secretName ? { ...rest, githubConfigSecret: secretName } : rest;
  const imported = withProvisionalOverlay(importValues(values, target.settings, hints), values, target.settings, hints);
  const needsInput: NeedsInput = [...imported.needsInput];
  if (source.kind === "none") {
    needsInput.push({ field: "githubSecret", why: "the file names no GitHub App Secret; give the name of the Secret in the namespace" });
  }
  const fromFile = { ...imported, needsInput };

  const { live, liveImport } = await checkLive(target, imported.fields, {
    ...(given.team ? { team: given.team } : {}),
    ...(given.contact ? { contact: given.contact } : {}),
  });
  const differences = liveImport ? describeOverlay(values, diffOverlay(values, liveImport.values)) : [];
  return { target, owner, source, values, fromFile, live, liveImport, differences };
}

function stored(p: Plan) {
  return p.live.state === "running" && p.liveImport ? p.liveImport : p.fromFile;
}

/** What importing the file would store, for the admin to confirm. Never the key, only its fingerprint. */
export async function previewValuesImport(clusterId: string, body: unknown) {
  const p = await plan(clusterId, body);
  const s = stored(p);
  const outcome = p.live.state === "running" ? "READY" : p.live.state === "absent" ? "SUBMITTED" : null;
  return {
    cluster: { id: p.target.cluster.id, displayName: p.target.cluster.displayName },
    team: p.owner,
    outcome,
    live: { state: p.live.state, message: p.live.message },
    fields: s.fields,
    needsInput: s.needsInput,
    advanced: s.advanced ?? null,
    unrepresented: s.unrepresented,
    cannotApply: s.cannotApply,
    differencesFromLive: p.differences,
    secret: summarise(p.source),
  };
}

export type ValuesImportPreview = Awaited<ReturnType<typeof previewValuesImport>>;

/** Imports the file: READY bound to the running scale set, or SUBMITTED for review (see above). */
export async function importFromValuesFile(actor: Actor, clusterId: string, body: unknown) {
  const p = await plan(clusterId, body);
  if (p.live.state === "managed") throw conflict(p.live.message, { label: ["This label is taken on this cluster"] });
  if (p.live.state === "unreachable") {
    throw new HttpError(p.live.status, `${p.live.message} The import needs to know whether the scale set already runs.`);
  }
  const s = stored(p);
  if (!s.spec || s.needsInput.length > 0) throw unprocessable("Some answers are missing or not valid; see each field.", needsInputErrors(s.needsInput));
  refuseUnappliable(s.cannotApply);
  const common = { clusterId, teamName: s.spec.team, spec: s.spec, advanced: s.advanced, unrepresented: s.unrepresented, source: "values-file" as const };

  if (p.live.state === "running") {
    const note = [
      "Bound to the scale set running on the cluster: its live spec is the approved version.",
      p.differences.length > 0 ? `The file differs from it in ${p.differences.length} place(s); the live spec was kept.` : "The file matches it.",
      p.source.kind === "inline-app" ? "The file's inline App key was not kept: the running scale set's Secret stays as it is." : null,
    ]
      .filter(Boolean)
      .join(" ");
    const request = await createImportedRequest(actor, { ...common, status: "READY", note, adoptFrom: p.liveImport?.managers });
    return { id: request.id, number: request.number, status: request.status };
  }
  const app =
    p.source.kind === "inline-app"
      ? {
          appId: p.source.appId,
          installationId: p.source.installationId,
          sealedKey: seal(p.source.pem, env().ENCRYPTION_KEY),
          keyFingerprint: p.source.keyFingerprint,
        }
      : undefined;
  const request = await createImportedRequest(actor, { ...common, status: "SUBMITTED", githubApp: app });
  return { id: request.id, number: request.number, status: request.status };
}
