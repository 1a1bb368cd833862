import type { RequestView } from "@/lib/requests/view";

export type ApiError = { status: number; error: string; fieldErrors?: Record<string, string[]> };

/** fetch + JSON with the portal's error shape, for react-query. */
export async function callApi<T>(url: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: { ...(init?.json !== undefined ? { "content-type": "application/json" } : {}), ...init?.headers },
    body: init?.json !== undefined ? JSON.stringify(init.json) : init?.body,
  });
  const body = await res.json().catch(() => ({ error: `The portal answered ${res.status}.` }));
  if (!res.ok) throw { status: res.status, ...body } as ApiError;
  return body as T;
}

export const requestKey = (id: string) => ["request", id] as const;
export type { RequestView };
