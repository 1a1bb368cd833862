/** One delivery attempt; throws on anything but a 2xx so the queue retries it. */
export async function deliverWebhook(url: string, payload: unknown, timeoutMs = 10_000): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
}
