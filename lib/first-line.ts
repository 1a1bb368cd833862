/** An error's first line: YAML parsers go on to quote the input, which may hold a token or a key. */
export function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0]!;
}
