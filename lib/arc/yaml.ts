import {
  Document,
  isMap,
  isNode,
  isScalar,
  isSeq,
  type CreateNodeOptions,
  type DocumentOptions,
  type SchemaOptions,
  type ToStringOptions,
} from "yaml";

// YAML text for Helm and kubectl: always through the yaml library's Document API, so that
// every value is quoted as its content requires and nothing in a value can change structure.

const DOCUMENT_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions = {
  // Helm reads values with a YAML 1.1 parser, where yes/no/on/off are booleans: quote them.
  compat: "yaml-1.1",
  // Shared objects would otherwise be written as &anchors and *aliases.
  aliasDuplicateObjects: false,
};

// Long lines stay whole: folding would make scripts and URLs harder to read and to diff.
const TO_STRING: ToStringOptions = { lineWidth: 0 };

/** A YAML document for a Kubernetes or Helm reader. */
export function kubeYamlDocument(value: unknown): Document {
  return new Document(value, DOCUMENT_OPTIONS);
}

/** A YAML document with the yaml library's default (YAML 1.2) schema, e.g. for GitHub workflows. */
export function plainYamlDocument(value: unknown): Document {
  return new Document(value, { aliasDuplicateObjects: false });
}

export function yamlText(doc: Document): string {
  return doc.toString(TO_STRING);
}

/** "# "-prefixed lines, as the yaml library writes a comment verbatim after each "#". */
function commentLines(comment: string): string {
  return comment
    .split("\n")
    .map((line) => ` ${line}`)
    .join("\n");
}

/** Sets the comment at the top of the document. */
export function commentOnTop(doc: Document, comment: string): void {
  doc.commentBefore = commentLines(comment);
}

/** Attaches a comment above the entry at path (map keys and sequence indexes). */
export function commentAbove(doc: Document, path: (string | number)[], comment: string): void {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
    if (pair && isScalar(pair.key)) {
      pair.key.commentBefore = commentLines(comment);
      return;
    }
  }
  if (isSeq(parent) && typeof last === "number") {
    const item = parent.items[last];
    if (isNode(item)) {
      item.commentBefore = commentLines(comment);
      return;
    }
  }
  throw new Error(`No YAML entry at ${path.join(".")} to comment on`);
}

/** Kubernetes objects as one multi-document YAML stream, each document starting with ---. */
export function multiDocumentYaml(objects: readonly unknown[]): string {
  return objects.map((object) => kubeYamlDocument(object).toString({ ...TO_STRING, directives: true })).join("");
}
