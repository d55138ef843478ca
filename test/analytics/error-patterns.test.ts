// GET /api/analytics/errors and /api-calls on both engines: a class's errors, posted as
// the SDK posts them, grouped into bugs.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../helpers/each-engine.js';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../helpers/test-app.js';

interface Group {
  errorType?: string | null;
  method?: string | null;
  endpoint?: string;
  status?: number | null;
  pattern?: string;
  example: string | null;
  count: number;
  students: number;
  steps: Array<{ step: string | null; stepName: string | null; count: number }>;
  trend: number[];
  firstSeen: string;
  lastSeen: string;
  affected: Array<{ sessionToken: string; studentEmail: string | null; count: number }>;
}

const openaiError = (key: string) => ({
  eventType: 'error',
  eventData: {
    errorType: 'openai_validation_failed',
    errorMessage: `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    statusCode: 401,
    currentStep: 0,
    stepName: 'Connect Accounts',
  },
});
const twilioError = (sid: string) => ({
  eventType: 'error',
  eventData: { errorType: 'twilio_function_deploy_failed', errorMessage: `Twilio account ${sid} not authorized for Functions`, statusCode: 403, currentStep: 2, stepName: 'Provision Services' },
});
const call = (endpoint: string, method: string, status: number | undefined, success: boolean) => ({
  eventType: 'api_call',
  eventData: { endpoint, method, ...(status === undefined ? {} : { status }), success, currentStep: 1 },
});

await describeEachEngine('error patterns', (engine) => {
  let app: RunningApp;
  const read = async (path: string, query = '') => {
    const response = await fetch(`${app.url}/api/analytics/${path}${query === '' ? '' : `?${query}`}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    app = await startApp(await engine.createDatabase());
    const post = async (sessionToken: string, studentEmail: string, events: object[]) => {
      const tagged = events.map((event) => ({ sessionToken, studentEmail, ...event, eventData: { workshopId: sessionToken === "ws_other" ? "autumn" : "spring", ...(event as { eventData: object }).eventData } }));
      const response = await app.post({ events: tagged });
      assert.equal(response.status, 200, await response.text());
    };
    await post('ws_ada', 'ada@example.com', [openaiError('sk-proj-AbC123xyz***************wxyz'), openaiError('sk-proj-AbC123xyz***************wxyz')]);
    await post('ws_grace', 'grace@example.com', [openaiError('sk-proj-Zz9876qq***************abcd'), twilioError('AC0123456789abcdef0123456789abcdef')]);
    await post('ws_alan', 'alan@example.com', [
      openaiError('sk-live-Q1w2e3r4t5***************zzzz'),
      twilioError('ACfedcba9876543210fedcba9876543210'),
      { eventType: 'error', eventData: { errorType: 'openai_validation_failed', errorMessage: 'Incorrect API key provided', statusCode: 401 } },
      call('/v1/users/123/keys', 'POST', 401, false),
      call('/v1/models', 'GET', 200, true),
    ]);
    await post('ws_other', 'other@example.com', [call('/v1/users/456/keys?verbose=1', 'post', 401, false), call('/v1/models', 'GET', 500, false), call('/v1/models', 'GET', undefined, false)]);
  });
  after(() => app.close());

  it('groups errors that differ only in keys and ids into one pattern, the most frequent first', async () => {
    const { status, body } = await read('errors');
    assert.equal(status, 200);
    assert.equal(body.totalErrors, 7);
    const patterns = body.patterns as Group[];
    assert.deepEqual(
      patterns.map((p) => [p.errorType, p.pattern, p.count, p.students]),
      [
        ['openai_validation_failed', 'Incorrect API key provided: <key>. You can find your API key at https://platform.openai.com/account/api-keys.', 4, 3],
        ['twilio_function_deploy_failed', 'Twilio account <key> not authorized for Functions', 2, 2],
        ['openai_validation_failed', 'Incorrect API key provided', 1, 1],
      ],
    );
    const [openai, twilio] = patterns as [Group, Group];
    assert.deepEqual(openai.steps, [{ step: '0', stepName: 'Connect Accounts', count: 4 }]);
    assert.deepEqual(twilio.steps, [{ step: '2', stepName: 'Provision Services', count: 2 }]);
    assert.equal(twilio.example, 'Twilio account ACfedcba9876543210fedcba9876543210 not authorized for Functions', 'the latest message as sent');
    assert.equal(openai.trend.length, 24);
    assert.equal(openai.trend.reduce((a, b) => a + b, 0), 4);
    assert.equal(openai.trend.at(-1), 4, 'all of them in the last bucket (just now)');
    assert.ok(openai.firstSeen <= openai.lastSeen);
    assert.deepEqual(
      openai.affected.map((a) => [a.studentEmail, a.count]).sort(),
      [
        ['ada@example.com', 2],
        ['alan@example.com', 1],
        ['grace@example.com', 1],
      ],
    );
  });

  it('groups failed API calls by method, endpoint with ids normalised, and status', async () => {
    const { body } = await read('api-calls');
    assert.equal(body.totalFailures, 4);
    const groups = body.groups as Group[];
    assert.deepEqual(
      groups.map((g) => [g.method, g.endpoint, g.status, g.count, g.students]),
      [
        ['POST', '/v1/users/<id>/keys', 401, 2, 2],
        ['GET', '/v1/models', 500, 1, 1],
        ['GET', '/v1/models', null, 1, 1],
      ],
    );
    assert.deepEqual(groups[0]?.steps, [{ step: '1', stepName: null, count: 2 }]);
  });

  it('narrows to one workshop run with a data filter, and to a window', async () => {
    const run = await read('errors', 'data.workshopId=spring');
    assert.equal(run.body.totalErrors, 7);
    const other = await read('api-calls', 'data.workshopId=autumn');
    assert.equal(other.body.totalFailures, 3, 'only ws_other’s calls');
    const past = await read('errors', `until=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
    assert.equal(past.body.totalErrors, 0);
    assert.deepEqual(past.body.patterns, []);
  });

  it('refuses bad windows and filters with the API’s 400, and readers without credentials', async () => {
    const backwards = await read('errors', 'since=2026-03-02T12:00:00Z&until=2026-03-02T11:00:00Z');
    assert.equal(backwards.status, 400);
    assert.match(JSON.stringify(backwards.body), /since must be before until/);
    assert.equal((await read('funnel', 'since=yesterday')).status, 400);
    assert.equal((await read('errors', 'limit=0')).status, 400);
    assert.equal((await read('errors', 'colour=red')).status, 400);
    assert.equal((await read('api-calls', 'data.status=gte:abc')).status, 400);
    const anonymous = await fetch(`${app.url}/api/analytics/errors`);
    assert.equal(anonymous.status, 401);
  });
});
