// The subset of Kubernetes resource quantities a person types for a runner's memory and CPU.
// The full grammar also allows exponents ("1e9") and signs; nobody sizes a runner that way,
// and rejecting them keeps the rendered values readable.

/** Kubernetes' binary and decimal suffixes, shared with the reader of cluster-reported quantities. */
export const QUANTITY_SUFFIXES: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

// A unit is required: a bare "64" would mean 64 bytes, never what anyone wants.
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$/;

// Whole or fractional cores ("8", "1.5") or millicores ("500m"). Kubernetes keeps
// milli-precision only, so more than three decimals would be silently rounded.
const CPU = /^(?:(\d+)m|(\d+(?:\.\d{1,3})?))$/;

/** Bytes for a memory quantity such as "64Gi" or "250000Mi"; undefined if not one. */
export function memoryBytes(quantity: string): number | undefined {
  const match = MEMORY.exec(quantity);
  if (!match) return undefined;
  const [, amount = "", unit = ""] = match;
  return Number(amount) * (QUANTITY_SUFFIXES[unit] ?? Number.NaN);
}

/** Millicores for a CPU quantity such as "8", "1.5" or "500m"; undefined if not one. */
export function cpuMillicores(quantity: string): number | undefined {
  const match = CPU.exec(quantity);
  if (!match) return undefined;
  const [, milli, cores] = match;
  return milli !== undefined ? Number(milli) : Math.round(Number(cores) * 1000);
}
