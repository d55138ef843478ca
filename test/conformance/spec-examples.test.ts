// The spec's examples, verbatim, against the real service on every engine.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../helpers/each-engine.js';
import { ADMIN_TOKEN, readPage, startApp, type RunningApp } from '../helpers/test-app.js';
import { analyzeNavigationPattern, getStudentErrors, usePageFetch } from './spec-queries.js';

const SPEC_EVENTS = [
  {
    eventType: 'navigation',
    eventData: {
      from: 2,
      to: 3,
      fromStepName: 'Choose Use Case',
      toStepName: 'Provision Services',
      currentStep: 3,
      stepName: 'Provision Services',
      demoMode: false,
      userAgent: 'Mozilla/5.0...',
      timestamp: '2025-10-27T15:30:45.123Z',
    },
  },
  {
    eventType: 'error',
    eventData: {
      errorType: 'openai_validation_failed',
      errorMessage: 'Incorrect API key provided',
      statusCode: 401,
      currentStep: 0,
      stepName: 'Connect Accounts',
    },
  },
  {
    eventType: 'action',
    eventData: { actionName: 'openai_connected', validated: true, currentStep: 0, stepName: 'Connect Accounts' },
  },
  {
    eventType: 'api_call',
    eventData: { endpoint: '/v1/models', method: 'GET', status: 200, success: true, currentStep: 0 },
  },
  {
    eventType: 'state_change',
    eventData: { stateName: 'twilioConnected', oldValue: false, newValue: true },
  },
];

const POST_REQUEST_EXAMPLE = {
  sessionToken: 'ws_1234567890',
  studentEmail: 'student@example.com', // optional
  eventType: 'navigation',
  eventData: {
    from: 1,
    to: 2,
  },
};

const TROUBLESHOOTING_ERROR = {
  errorType: 'twilio_function_deploy_failed',
  errorMessage: 'Twilio account not authorized for Functions',
  statusCode: 403,
};

await describeEachEngine('spec examples', (engine) => {
  let app: RunningApp;
  /** The page's fetch: same origin, with the instructor's credentials. */
  let fetch: (path: string) => Promise<Response>;

  before(async () => {
    app = await startApp(await engine.createDatabase());
    fetch = (path) => globalThis.fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  });
  after(() => app.close());

  it('POST /api/session-log answers exactly as the spec shows', async () => {
    const response = await app.post(POST_REQUEST_EXAMPLE);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.success, true);
    assert.equal(body.message, 'Event logged successfully');
  });

  it('stores each of the spec event examples and reads it back unchanged', async () => {
    for (const example of SPEC_EVENTS) {
      const response = await app.post({ sessionToken: 'ws_examples', studentEmail: 'student@example.com', ...example });
      assert.equal(response.status, 200, await response.text());
    }
    const page = await readPage(await app.get('sessionToken=ws_examples&order=asc'));
    assert.equal(page.count, SPEC_EVENTS.length);
    assert.deepEqual(
      page.events.map((e) => ({ eventType: e.event_type, eventData: e.event_data })),
      SPEC_EVENTS,
    );
    for (const event of page.events) {
      assert.equal(event.session_token, 'ws_examples');
      assert.equal(event.student_email, 'student@example.com');
      assert.match(event.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('GET /api/session-log?sessionToken=ws_1234567890&limit=50 has the documented shape', async () => {
    const response = await fetch('/api/session-log?sessionToken=ws_1234567890&limit=50');
    const page = await readPage(response);
    assert.equal(page.success, true);
    assert.equal(page.count, 1);
    // The spec's fields, plus `seq` (the SDK's sequence number; null for this client).
    assert.deepEqual(Object.keys(page.events[0] ?? {}).sort(), [
      'created_at',
      'event_data',
      'event_id',
      'event_type',
      'seq',
      'session_token',
      'student_email',
      'student_name',
    ]);
    assert.equal(page.events[0]?.seq, null);
    assert.deepEqual(page.events[0]?.event_data, { from: 1, to: 2 });
    assert.equal(typeof page.events[0]?.event_id, 'number');
  });

  it('troubleshooting scenario: the error events of one session', async () => {
    await app.post({ sessionToken: 'ws_abc123', eventType: 'navigation', eventData: { from: 2, to: 3 } });
    await app.post({ sessionToken: 'ws_abc123', eventType: 'error', eventData: TROUBLESHOOTING_ERROR });
    const page = await readPage(await fetch('/api/session-log?sessionToken=ws_abc123&eventType=error'));
    assert.equal(page.count, 1);
    assert.equal(page.events[0]?.event_type, 'error');
    assert.deepEqual(page.events[0]?.event_data, TROUBLESHOOTING_ERROR);
  });

  it('common use cases 1-4 work as written', async () => {
    await app.post({ sessionToken: 'ws_123', eventType: 'navigation', eventData: { from: 0, to: 1 } });
    await app.post({ sessionToken: 'ws_123', eventType: 'api_call', eventData: { endpoint: '/x', status: 500 } });
    await app.post({ sessionToken: 'ws_123', eventType: 'navigation', eventData: { from: 1, to: 2 } });

    const navigation = await readPage(await fetch('/api/session-log?sessionToken=ws_123&eventType=navigation'));
    assert.deepEqual(navigation.events.map((e) => e.event_data.to), [2, 1]);

    const apiCalls = await readPage(await fetch('/api/session-log?eventType=api_call&limit=200'));
    const failed = apiCalls.events.filter((e) => Number(e.event_data.status) >= 400);
    assert.ok(apiCalls.count >= 2, 'all students’ api calls');
    assert.deepEqual(failed.map((e) => e.session_token), ['ws_123']);

    const errors = await readPage(await fetch('/api/session-log?eventType=error'));
    const openai = errors.events.filter((e) => e.event_data.errorType === 'openai_validation_failed');
    assert.equal(openai.length, 1);

    const timeline = await readPage(await fetch('/api/session-log?sessionToken=ws_123&limit=500'));
    assert.equal(timeline.count, 3);
  });

  it('use cases 2 and 3 as one request each, filtered on the server', async () => {
    const failed = await readPage(await fetch('/api/session-log?eventType=api_call&data.status=gte:400&limit=200'));
    assert.deepEqual(failed.events.map((e) => e.event_data.status), [500]);
    const openai = await readPage(await fetch('/api/session-log?eventType=error&data.errorType=openai_validation_failed'));
    assert.deepEqual(openai.events.map((e) => e.event_data.errorMessage), ['Incorrect API key provided']);
  });

  it('querying logs programmatically: the spec functions run unchanged', async () => {
    usePageFetch(fetch);
    const errors = (await getStudentErrors('ws_abc123')) as Array<{ event_data: unknown }>;
    assert.deepEqual(errors.map((e) => e.event_data), [TROUBLESHOOTING_ERROR]);
    const navigation = (await analyzeNavigationPattern('ws_123')) as Array<{ event_data: { to: number } }>;
    assert.deepEqual(navigation.map((e) => e.event_data.to), [1, 2]);
  });
});
