import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { startApp, type RunningApp } from '../helpers/test-app.js';

interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<string, { security?: unknown[]; requestBody?: { content?: Record<string, unknown> }; parameters?: Array<{ name: string }>; responses?: Record<string, unknown> }>
  >;
}

await describe('OpenAPI document', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(await ENGINES[0]!.createDatabase());
  });
  after(() => app.close());
  after(cleanUpDatabases);

  it('describes the spec endpoints from the route schemas, with examples', async () => {
    const response = await fetch(`${app.url}/openapi.json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as OpenApiDocument;
    assert.match(document.openapi, /^3\./);
    const route = document.paths['/api/session-log'];
    assert.ok(route?.post?.requestBody);
    assert.match(JSON.stringify(route.post.requestBody), /ws_1234567890/);
    assert.deepEqual(route.get?.security, [{ instructorToken: [] }]);
    const parameters = route.get?.parameters?.map((p) => p.name) ?? [];
    for (const name of ['sessionToken', 'studentEmail', 'eventType', 'limit', 'since', 'until', 'order', 'cursor']) {
      assert.ok(parameters.includes(name), `documents ${name}`);
    }
    assert.ok(document.paths['/healthz']);
    // The spec's example answer, a beacon's text/plain body, and only the statuses each route gives.
    assert.match(JSON.stringify(route.get?.responses?.['200']), /twilio_function_deploy_failed/);
    assert.deepEqual(Object.keys(route.post.requestBody.content ?? {}), ['application/json', 'text/plain']);
    assert.deepEqual(Object.keys(route.post.responses ?? {}), ['200', '400', '413', '415', '429', '503']);
    assert.deepEqual(Object.keys(route.get?.responses ?? {}), ['200', '400', '401', '503']);
  });
});
