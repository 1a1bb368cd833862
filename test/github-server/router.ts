// A small path router: GitHub-style templates ("/orgs/{org}/installation"), the
// request context handlers receive, and the matcher fault injection shares.
import type { IncomingMessage } from "node:http";
import type { Principal } from "./auth";
import type { Reply } from "./http";
import type { GitHubState } from "./state";

/** GitHub Enterprise Server serves the REST API under this prefix. */
export const GHES_API_PREFIX = "/api/v3";

export type RouteKind = "api" | "web";

export interface RequestContext {
  req: IncomingMessage;
  method: string;
  /** The full request URL as the client sent it. */
  url: URL;
  /** The path with any /api/v3 prefix removed. */
  path: string;
  params: Record<string, string>;
  /** Base for "url"-style fields: the origin, plus /api/v3 when the client used it. */
  apiBase: string;
  /** Base for "html_url"-style fields. */
  webBase: string;
  state: GitHubState;
  body(): Promise<Record<string, unknown>>;
  /** Who is calling; throws the matching 401 when the credentials are bad. */
  principal(): Principal;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  template: string;
  kind: RouteKind;
  regex: RegExp;
  names: string[];
  handler: Handler;
}

export function compileTemplate(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split("/")
    .map((segment) => {
      if (segment === "*") return "[^/]+";
      const m = /^\{(\w+)\}$/.exec(segment);
      if (m) {
        names.push(m[1]!);
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { regex: new RegExp(`^${source}/?$`, "i"), names };
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler, kind: RouteKind = "api"): this {
    const { regex, names } = compileTemplate(template);
    this.routes.push({ method: method.toUpperCase(), template, kind, regex, names, handler });
    return this;
  }

  match(method: string, path: string, layout: "root" | "ghes"): { route: Route; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      // Web (OAuth) pages live at the host root on both github.com and GHES.
      if (layout === "ghes" && route.kind === "web") continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? "");
      });
      return { route, params };
    }
    return null;
  }
}

/** Splits "/api/v3/orgs/x" into the layout and the path the routes know. */
export function normalizePath(pathname: string): { layout: "root" | "ghes"; path: string } {
  if (pathname === GHES_API_PREFIX || pathname.startsWith(`${GHES_API_PREFIX}/`)) {
    return { layout: "ghes", path: pathname.slice(GHES_API_PREFIX.length) || "/" };
  }
  return { layout: "root", path: pathname };
}

/**
 * Does a fault's route select this request? Accepts "*", an optional method
 * ("GET /app"), and either a template ("/orgs/{org}/installation") or a
 * concrete path ("/orgs/acme/installation").
 */
export function faultMatches(faultRoute: string, method: string, path: string, template: string | null): boolean {
  const trimmed = faultRoute.trim();
  if (trimmed === "*") return true;
  const m = /^([A-Za-z]+)\s+(.+)$/.exec(trimmed);
  const wantMethod = m ? m[1]!.toUpperCase() : null;
  const wantPath = m ? m[2]! : trimmed;
  if (wantMethod && wantMethod !== method.toUpperCase()) return false;
  if (wantPath === "*") return true;
  const normalized = normalizePath(wantPath).path;
  if (template && normalized.toLowerCase() === template.toLowerCase()) return true;
  return compileTemplate(normalized).regex.test(path);
}
