// DELETE /api/students and /api/sessions/<token> on both engines: everything of one
// student goes, nothing of another, and the audit names nobody.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { alertsApi } from '../helpers/alerts-api.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import { allRows, rowsAbout } from '../helpers/table-counts.js';
import { ADMIN_TOKEN, readPage, signIn, startApp, type RunningApp } from '../helpers/test-app.js';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const error = (step: number) => ({ eventType: 'error', eventData: { errorType: 'openai_validation_failed', errorMessage: 'Incorrect API key provided: sk-abc123XYZ789', statusCode: 401, currentStep: step } });
const navigation = (from: number, to: number) => ({ eventType: 'navigation', eventData: { from, to } });

await describeEachEngine('erasure', (engine) => {
  let app: RunningApp;
  let url: string;
  const erase = (path: string, headers: Record<string, string> = auth) => fetch(`${app.url}${path}`, { method: 'DELETE', headers });

  before(async () => {
    const database = await engine.createDatabase();
    url = database.url;
    app = await startApp(database);
    await alertsApi(app).createRule({ name: 'any error', kind: 'match', filters: { eventType: 'error' }, cooldownMinutes: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Ada: two sessions (the second identified after an anonymous start), errors, stays.
    for (const [sessionToken, events] of [
      ['ws_ada1', [{ studentEmail: 'ada@example.com', studentName: 'Ada', ...navigation(0, 0) }, navigation(0, 1), error(1), navigation(1, 2)]],
      ['ws_ada2', [navigation(0, 0), { studentEmail: 'Ada@Example.com', ...navigation(0, 1) }, error(1)]],
      ['ws_grace', [{ studentEmail: 'grace@example.com', ...navigation(0, 0) }, navigation(0, 1), error(1)]],
      ['ws_anon', [navigation(0, 0), error(0)]],
    ] as const) {
      for (const event of events) assert.equal((await app.post({ sessionToken, ...event })).status, 200);
    }
    await alertsApi(app).waitForAlerts((alerts) => alerts.length >= 4);
  });
  after(() => app.close());

  it('erases every trace of a student, and leaves another student whole', async () => {
    const ada = ['ws_ada1', 'ws_ada2'];
    const before = await rowsAbout(url, ada, ['ada@example.com']);
    assert.ok(before.events === 7 && before.step_stays > 0 && before.event_problems === 2 && before.alerts >= 2, JSON.stringify(before));
    const graceBefore = await rowsAbout(url, ['ws_grace'], ['grace@example.com']);

    const response = await erase('/api/students?email=ADA%40example.com');
    assert.equal(response.status, 200);
    const body = (await response.json()) as { deleted: Record<string, number> };
    assert.deepEqual(body.deleted, { events: 7, sessions: 2, students: 1, stepStays: before.step_stays, alerts: before.alerts });

    assert.deepEqual(Object.values(await rowsAbout(url, ada, ['ada@example.com'])), Object.values(before).map(() => 0));
    assert.deepEqual(await rowsAbout(url, ['ws_grace'], ['grace@example.com']), graceBefore, 'Grace keeps everything');
    assert.equal((await readPage(await app.get('studentEmail=ada@example.com'))).count, 0);
    assert.equal((await readPage(await app.get('studentEmail=grace@example.com'))).count, 3);
  });

  it('erases one session, and the student row once nothing else of theirs is left', async () => {
    // Grace's second session: erasing the first leaves it, and her, whole.
    assert.equal((await app.post({ sessionToken: 'ws_grace2', studentEmail: 'grace@example.com', ...navigation(0, 0) })).status, 200);
    const first = await erase('/api/sessions/ws_grace2');
    assert.deepEqual(((await first.json()) as { deleted: Record<string, number> }).deleted, { events: 1, sessions: 1, students: 0, stepStays: 0, alerts: 0 });
    assert.equal((await readPage(await app.get('sessionToken=ws_grace'))).count, 3, 'her other session keeps its events');
    const response = await erase('/api/sessions/ws_grace');
    assert.equal(response.status, 200);
    assert.deepEqual(((await response.json()) as { deleted: Record<string, number> }).deleted.students, 1);
    const left = await rowsAbout(url, ['ws_grace'], ['grace@example.com']);
    assert.deepEqual(Object.values(left), Object.values(left).map(() => 0));
    const anonymous = await erase('/api/sessions/ws_anon');
    assert.deepEqual(((await anonymous.json()) as { deleted: Record<string, number> }).deleted, { events: 2, sessions: 0, students: 0, stepStays: 0, alerts: 1 });
  });

  it('keeps an audit record of each erasure that holds no email or token', async () => {
    const audit = await allRows(url, 'erasures');
    assert.equal(audit.length, 4);
    const text = JSON.stringify(audit).toLowerCase();
    for (const secret of ['ada@', 'grace@', 'ws_ada', 'ws_grace', 'ws_anon', ADMIN_TOKEN.toLowerCase()]) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    assert.deepEqual(audit.map((row) => row.subject_kind), ['student', 'session', 'session', 'session']);
    assert.deepEqual(audit.map((row) => row.credential), ['token', 'token', 'token', 'token']);
    assert.ok(audit.every((row) => /^[0-9a-f]{64}$/.test(String(row.subject_digest))));
  });

  it('answers 404 for someone unknown, 400 for an email that is not one, 401 without credentials, and deletes nothing then', async () => {
    const before = await readPage(await app.get('limit=1000'));
    assert.equal((await erase('/api/students?email=nobody%40example.com')).status, 404);
    assert.equal((await erase('/api/sessions/ws_nobody')).status, 404);
    assert.equal((await erase('/api/students?email=not-an-email')).status, 400);
    assert.equal((await erase('/api/students')).status, 400);
    assert.equal((await erase('/api/students?email=x%40example.com', {})).status, 401);
    assert.equal((await erase('/api/sessions/ws_x', {})).status, 401);
    assert.equal((await readPage(await app.get('limit=1000'))).count, before.count);
  });

  it('erases a session whose token is as long as the service accepts (256 characters, percent-encoded in the path)', async () => {
    const token = `ws_${'é'.repeat(253)}`;
    assert.equal((await app.post({ sessionToken: token, ...navigation(0, 1) })).status, 200);
    const response = await erase(`/api/sessions/${encodeURIComponent(token)}`);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { deleted: { events: number } }).deleted.events, 1);
  });

  it('stores events that arrive for an erased session later as new, with the student made anew', async () => {
    assert.equal((await app.post({ sessionToken: 'ws_ada1', studentEmail: 'ada@example.com', ...navigation(2, 3) })).status, 200);
    assert.equal((await app.post({ sessionToken: 'ws_ada1', ...navigation(3, 4) })).status, 200);
    const page = await readPage(await app.get('sessionToken=ws_ada1'));
    assert.deepEqual(page.events.map((e) => e.student_email), ['ada@example.com', 'ada@example.com']);
    const { cookie } = await signIn(app.url);
    assert.equal((await erase('/api/sessions/ws_ada1', { cookie })).status, 200, 'a signed-in dashboard may erase too');
    const audit = await allRows(url, 'erasures');
    assert.match(String(audit.at(-1)?.credential), /^session:[0-9a-f]{8}$/);
  });
});
