/** A resource quantity as the capacity tables show it: memory in Gi, anything else to three decimals. */
export function capacityAmount(resource: string, n: number | null): string {
  if (n === null) return "–";
  if (resource === "memory") return `${Math.round((n / 2 ** 30) * 10) / 10}Gi`;
  return String(Math.round(n * 1000) / 1000);
}
