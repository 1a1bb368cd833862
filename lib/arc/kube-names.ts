// Kubernetes naming rules shared by the request form, the cluster settings and the renderer.

/** RFC 1123 label: namespaces, the scale-set name (chart 0.14.2 caps it at 45). */
export const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 subdomain: names of Secrets, ServiceAccounts and annotation-key prefixes. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS_SUBDOMAIN_MAX = 253;

/** Extended resource name such as amd.com/gpu: a domain prefix and a name. */
export const EXTENDED_RESOURCE_NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

// The distribution reference grammar (registry[:port]/path[:tag][@digest]), written out
// so that a typo is caught in the form rather than as ErrImagePull on the cluster.
const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
// As in distribution's reference parser, the first part is a registry only when it has a dot
// or a port or is localhost; otherwise it is the first part of the (lowercase) repository path,
// so "ROCm/runner" is refused instead of being read as a registry host named ROCm.
const domain = `(?:${domainComponent}(?:\\.${domainComponent})+(?::[0-9]+)?|${domainComponent}:[0-9]+|localhost)`;
const pathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
const digest = "sha256:[a-f0-9]{64}";
export const IMAGE_REFERENCE = new RegExp(
  `^(?:${domain}/)?${pathComponent}(?:/${pathComponent})*(?::${tag})?(?:@${digest})?$`,
);
export const IMAGE_REFERENCE_MAX = 512;

/**
 * Plain-language problems with an RFC 1123 label, most useful first, so the form can tell
 * a person exactly what to change ("must be lowercase" rather than "invalid").
 */
export function rfc1123LabelProblems(value: string, field: string, max: number): string[] {
  if (value.length === 0) return [`${field} is required`];
  const problems: string[] = [];
  if (value.length > max) problems.push(`${field} must be at most ${max} characters`);
  if (/[A-Z]/.test(value)) problems.push(`${field} must be lowercase`);
  if (value.includes("_")) problems.push(`${field} must not contain '_' (use '-' instead)`);
  if (/[^A-Za-z0-9_-]/.test(value)) {
    problems.push(`${field} may contain only lowercase letters, digits and '-'`);
  }
  if (!/^[A-Za-z0-9]/.test(value) || !/[A-Za-z0-9]$/.test(value)) {
    problems.push(`${field} must start and end with a letter or digit`);
  }
  return problems;
}
