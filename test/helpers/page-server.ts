import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A workshop site on its own origin: serves the given HTML pages by path. */
export interface PageServer {
  origin: string;
  /** Adds or replaces a page, e.g. `set('/step.html', '<script …></script>')` (the head's content). */
  set(path: string, html: string): void;
  /** Serves a script file. */
  setScript(path: string, javascript: string): void;
  /** How many POSTs `path` has received. */
  posts(path: string): number;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const pages = new Map<string, { type: string; body: string }>();
  const posts = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method === 'POST') posts.set(path, (posts.get(path) ?? 0) + 1);
    const file = pages.get(path);
    if (path.startsWith('/busy')) {
      // A service that is overloaded: come back in 30 s.
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '30' }).end('{"success":false}');
      return;
    }
    if (file === undefined) {
      // Anything else answers like a small JSON API (for the page's own fetch calls).
      response.writeHead(path.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    response.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    set: (path, html) => pages.set(path, { type: 'text/html; charset=utf-8', body: `<!doctype html><html><head>${html}</head><body></body></html>` }),
    setScript: (path, javascript) => pages.set(path, { type: 'text/javascript; charset=utf-8', body: javascript }),
    posts: (path) => posts.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
