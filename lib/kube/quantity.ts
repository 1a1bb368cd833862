// Kubernetes resource quantities as the API server writes them (node allocatable, quota
// hard/used): "64", "127900m", "1056764504Ki", "16Gi", "1e3", "0.5". The request form
// accepts a narrower grammar (lib/arc/quantity.ts); this one reads whatever a cluster says.

import { QUANTITY_SUFFIXES } from "@/lib/arc/quantity";

// Fractions divide rather than multiply by 1e-3: 127900 / 1000 is exactly 127.9, 127900 * 1e-3 is not.
const DIVISOR: Record<string, number> = { n: 1e9, u: 1e6, m: 1e3 };

const SUFFIX: Record<string, number> = { "": 1, ...QUANTITY_SUFFIXES };

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The value in base units (cores, bytes, devices); undefined when it is not a quantity. */
export function parseQuantity(quantity: string | number | undefined | null): number | undefined {
  if (typeof quantity === "number") return Number.isFinite(quantity) ? quantity : undefined;
  if (typeof quantity !== "string") return undefined;
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  const [, number = "", exponent, suffix = ""] = match;
  const n = Number(number);
  const value = exponent ? n * 10 ** Number(exponent.slice(1)) : DIVISOR[suffix] ? n / DIVISOR[suffix] : n * (SUFFIX[suffix] ?? Number.NaN);
  return Number.isFinite(value) ? value : undefined;
}
