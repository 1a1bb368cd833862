/**
 * A deep copy as plain JSON data: what a YAML or JSON parser would give for the value. Fields
 * that are undefined are dropped and Dates become strings, on purpose: the copies are compared
 * key by key (overlay diffs, settings changes) and written out as values files, where a key
 * holding undefined would count as a difference that no file can show. structuredClone keeps
 * such keys (today's renderings have none, imported and patched data may), so it is not a
 * substitute. undefined itself is given back as it is.
 */
export function plainData<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
