/**
 * `work`, or the error `late()` makes once `ms` have passed, whichever comes first. For calls
 * that must not hold a page or a probe however long the other side takes to answer.
 */
export function withinTime<T>(work: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
