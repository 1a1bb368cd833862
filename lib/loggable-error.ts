/**
 * What of an unexpected error may go to the log. Prisma's messages quote the
 * query's arguments, which can hold a sealed key or a whole request, so for
 * them only the class, the code and the first line are kept.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; code?: string; message?: string; stack?: string } | undefined;
  if (e?.name?.startsWith("Prisma") || /^Invalid `.*` invocation/m.test(e?.message ?? "")) {
    return { error: e?.name, code: e?.code, firstLine: (e?.message ?? "").trim().split("\n")[0]?.slice(0, 200) };
  }
  return { error: e?.message, stack: e?.stack };
}
