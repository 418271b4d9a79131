import type { RequestBody } from './readRequestBody.js';

/** What a route handler gets: path parameters, the query and the parsed body. */
export type RestContext = {
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  body: RequestBody;
};

/** A route's answer; without `json` the body is empty and carries no content type. */
export type RestResult = { status: number; json?: unknown };

/** One REST route, its pattern written like Discord's docs: `/channels/:channel/messages`. */
export type RestRoute = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  pattern: string;
  /**
   * Whether the route needs `Authorization: Bot <token>`. Interaction callbacks and webhook
   * messages are authorised by the token in their path instead.
   */
  auth: boolean;
  handle(context: RestContext): RestResult | Promise<RestResult>;
};

/** The route for a method and path, or why there is none. */
export type RouteMatch =
  | { kind: 'found'; route: RestRoute; params: Record<string, string> }
  | { kind: 'wrongMethod' }
  | { kind: 'notFound' };

/** Finds routes by method and path (the path after `/api/v10`); the first listed wins. */
export function createRestRouter(routes: readonly RestRoute[]): (method: string, path: string) => RouteMatch {
  const compiled = routes.map((route) => ({ route, ...compilePattern(route.pattern) }));
  return (method, path) => {
    let pathKnown = false;
    for (const { route, regex, names } of compiled) {
      const match = regex.exec(path);
      if (match === null) continue;
      pathKnown = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      names.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1] ?? '')));
      return { kind: 'found', route, params };
    }
    return pathKnown ? { kind: 'wrongMethod' } : { kind: 'notFound' };
  };
}

function compilePattern(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), names };
}
