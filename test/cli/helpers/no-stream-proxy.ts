import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A service as an older version answers: every request is passed on to `target`, except
 * the live stream's route, which is not there (404 in the API's error shape).
 */
export async function noStreamProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if ((request.url ?? '').startsWith('/api/session-log/stream')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ success: false, error: { code: 'not_found', message: `no route GET /api/session-log/stream` } }));
      return;
    }
    const forwarded = http.request(`${target}${request.url ?? '/'}`, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
