// Reply values and request-body parsing shared by all routes. Handlers return a
// Reply (or throw ApiError) and server.ts writes it, adding GitHub's headers.
import type { IncomingMessage } from "node:http";

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings are sent as they are. */
  body?: unknown;
  contentType?: string;
}

export const DOCS = "https://docs.github.com/rest";

/** Thrown by auth and lookup helpers; server.ts turns it into its reply. */
export class ApiError extends Error {
  readonly reply: Reply;
  constructor(reply: Reply) {
    super(typeof reply.body === "object" && reply.body && "message" in reply.body ? String(reply.body.message) : `HTTP ${reply.status}`);
    this.reply = reply;
  }
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}

export function noContent(headers?: Record<string, string>): Reply {
  return { status: 204, headers };
}

/**
 * GitHub's error body: message, documentation_url, and (since 2024) status as a
 * string, e.g. {"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}.
 */
export function githubError(
  status: number,
  message: string,
  documentationUrl: string = DOCS,
  headers?: Record<string, string>,
): Reply {
  return json(status, { message, documentation_url: documentationUrl, status: String(status) }, headers);
}

export const notFound = (documentationUrl: string = DOCS): Reply => githubError(404, "Not Found", documentationUrl);

export function fail(reply: Reply): never {
  throw new ApiError(reply);
}

export async function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new ApiError(githubError(413, "Payload too large"));
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses JSON or form bodies; GitHub's OAuth endpoints accept both. */
export function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw.trim()) return {};
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // GitHub answers malformed JSON with 400 "Problems parsing JSON".
  }
  throw new ApiError(githubError(400, "Problems parsing JSON"));
}

/** Sets the Link header the way GitHub paginates (per_page default 30, max 100). */
export function paginate<T>(
  items: T[],
  url: URL,
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(url.searchParams.get("per_page")) || 30, 1), 100);
  const pageNo = Math.max(Number(url.searchParams.get("page")) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const page = items.slice((pageNo - 1) * perPage, pageNo * perPage);
  const link = (n: number, rel: string) => {
    const u = new URL(url);
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.set("page", String(n));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNo > 1) links.push(link(pageNo - 1, "prev"));
  if (pageNo < last) links.push(link(pageNo + 1, "next"), link(last, "last"));
  if (pageNo > 1) links.push(link(1, "first"));
  return { page, headers: links.length ? { link: links.join(", ") } : {} };
}
