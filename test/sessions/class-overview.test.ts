// The class overview on both engines: who is active, on which step, for how long
// against the class, and who needs help first.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { classOverview, type ClassOverview } from '../../src/sessions/class-overview.js';
import { DEFAULT_RULES } from '../../src/sessions/status-rules.js';
import type { EventStore } from '../../src/storage/types.js';
import { deleteStudent } from '../helpers/delete-student.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import { insertAt, type PastEvent } from '../helpers/insert-at.js';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../helpers/test-app.js';

const NOW = new Date('2026-03-02T11:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const STEPS = ['Connect Accounts', 'Choose Use Case', 'Provision Services', 'Build Agent'];

/** `token` navigates through `steps` (step index, minutes ago), one navigation each. */
function journey(token: string, visits: Array<[step: number, minutesAgo: number]>): PastEvent[] {
  return visits.map(([to, ago], i) => ({
    sessionToken: token,
    eventType: 'navigation',
    eventData: { from: i === 0 ? to : visits[i - 1]?.[0], to, toStepName: STEPS[to] },
    at: minutesAgo(ago),
  }));
}

await describeEachEngine('class overview', (engine) => {
  let url: string;
  let store: EventStore;
  let overview: ClassOverview;
  const row = (token: string) => overview.sessions.find((s) => s.sessionToken === token);

  before(async () => {
    const database = await engine.createDatabase();
    url = database.url;
    store = await database.openStore();
    await insertAt(url, [
      // Four classmates took 4-6 minutes on step 2 and moved on to step 3.
      ...journey('ws_quick1', [[1, 30], [2, 14], [3, 10]]),
      ...journey('ws_quick2', [[1, 30], [2, 14], [3, 9]]),
      ...journey('ws_quick3', [[1, 30], [2, 15], [3, 9]]),
      ...journey('ws_quick4', [[1, 30], [2, 14], [3, 9]]),
      ...['ws_quick1', 'ws_quick2', 'ws_quick3', 'ws_quick4'].map((sessionToken) => ({ sessionToken, eventType: 'action', eventData: { actionName: 'typing' }, at: minutesAgo(1) })),
      // On step 2 for 20 minutes (5 × the median), hitting the spec's 403.
      ...journey('ws_stuck', [[1, 60], [2, 20]]),
      { sessionToken: 'ws_stuck', eventType: 'error', eventData: { errorType: 'twilio_function_deploy_failed', errorMessage: 'Twilio account not authorized for Functions', statusCode: 403 }, at: minutesAgo(3) },
      // On step 3 for 2 minutes, but two errors just now.
      ...journey('ws_erroring', [[1, 30], [3, 2]]),
      { sessionToken: 'ws_erroring', eventType: 'error', eventData: { errorType: 'openai_validation_failed', errorMessage: 'Incorrect API key provided', statusCode: 401 }, at: minutesAgo(1) },
      { sessionToken: 'ws_erroring', eventType: 'error', eventData: { errorType: 'openai_validation_failed', errorMessage: 'Incorrect API key provided', statusCode: 401 }, at: minutesAgo(0.5) },
      // Asked for help a minute after arriving on step 3.
      ...journey('ws_helpme', [[1, 30], [3, 4]]),
      { sessionToken: 'ws_helpme', eventType: 'help_request', eventData: { message: 'My phone number does not show up' }, at: minutesAgo(3) },
      // Asked for help on step 1, then moved on: no longer asking.
      ...journey('ws_helped', [[1, 20], [3, 3]]),
      { sessionToken: 'ws_helped', eventType: 'help_request', eventData: { message: 'help' }, at: minutesAgo(10) },
      // Nothing for 8 minutes.
      ...journey('ws_idle', [[3, 9]]),
      { sessionToken: 'ws_idle', eventType: 'action', eventData: { actionName: 'x' }, at: minutesAgo(8) },
      // Last seen four hours ago: not in the default 3 h window.
      ...journey('ws_gone', [[1, 240]]),
      // On step 2 for 50 minutes, but silent for as long: left (idle), not stuck.
      ...journey('ws_left', [[1, 60], [2, 50]]),
      // Logged step 2 twice (a reload): one stay of 6 minutes, one classmate.
      ...journey('ws_reload', [[1, 30], [2, 16], [2, 14], [3, 10]]),
      // On step 3 for 12 minutes, its page logging the step again 2 minutes ago.
      ...journey('ws_relogged', [[1, 40], [3, 12], [3, 2]]),
    ]);
    overview = await classOverview(store, { activeWithinSeconds: 3 * 3600, limit: 500, rules: DEFAULT_RULES, now: NOW });
  });
  after(() => store.close());

  it('lists the sessions active in the window, and only those', () => {
    assert.deepEqual(overview.sessions.map((s) => s.sessionToken).sort(), [
      'ws_erroring', 'ws_helped', 'ws_helpme', 'ws_idle', 'ws_left', 'ws_quick1', 'ws_quick2', 'ws_quick3', 'ws_quick4', 'ws_reload', 'ws_relogged', 'ws_stuck',
    ]);
  });

  it('finds the stuck student by comparing with how long the class took on the step', () => {
    const stuck = row('ws_stuck');
    assert.equal(stuck?.status, 'stuck');
    assert.equal(stuck?.currentStep, '2');
    assert.equal(stuck?.stepName, 'Provision Services');
    assert.equal(stuck?.secondsOnStep, 20 * 60);
    assert.match(stuck?.reason ?? '', /20 min on this step; the class took 5 min/);
    assert.deepEqual(stuck?.lastError, { errorType: 'twilio_function_deploy_failed', errorMessage: 'Twilio account not authorized for Functions', at: minutesAgo(3).toISOString() });
    assert.equal(stuck?.recentErrors, 1);
  });

  it('says how many sessions are active when the list is cut', async () => {
    assert.equal(overview.activeSessions, 12);
    const cut = await classOverview(store, { activeWithinSeconds: 3 * 3600, limit: 5, rules: DEFAULT_RULES, now: NOW });
    assert.equal(cut.sessions.length, 5);
    assert.equal(cut.activeSessions, 12);
  });

  it('keeps the time on a step that the page logs again (a reload)', () => {
    assert.equal(row('ws_relogged')?.currentStep, '3');
    assert.equal(row('ws_relogged')?.secondsOnStep, 12 * 60);
  });

  it('tells erroring, asking for help, idle and on track apart', () => {
    assert.equal(row('ws_erroring')?.status, 'erroring');
    assert.equal(row('ws_erroring')?.recentErrors, 2);
    assert.equal(row('ws_helpme')?.status, 'asked_for_help');
    assert.deepEqual(row('ws_helpme')?.helpRequest, { message: 'My phone number does not show up', at: minutesAgo(3).toISOString() });
    assert.equal(row('ws_helped')?.helpRequest, null);
    assert.equal(row('ws_idle')?.status, 'idle');
    assert.equal(row('ws_left')?.status, 'idle');
    assert.match(row('ws_left')?.reason ?? '', /no activity for 50 min/);
    assert.equal(row('ws_quick1')?.status, 'on_track');
  });

  it('puts who needs help first', () => {
    assert.deepEqual(overview.sessions.slice(0, 3).map((s) => s.sessionToken), ['ws_helpme', 'ws_stuck', 'ws_erroring']);
    assert.deepEqual(overview.sessions.slice(3, 6).map((s) => s.status), ['idle', 'idle', 'idle']);
  });

  it('shows where the class is: sessions per step and the median time on each', () => {
    const step = (key: string) => overview.steps.find((s) => s.step === key);
    assert.deepEqual(overview.steps.map((s) => s.step), ['1', '2', '3']);
    assert.equal(step('2')?.sessions, 2);
    assert.equal(step('3')?.sessions, 10);
    assert.equal(step('2')?.stepName, 'Provision Services');
    assert.equal(step('2')?.medianSeconds, 5 * 60);
    // Five classmates left step 2 (ws_reload's two visits are one stay of 6 minutes).
    assert.equal(step('2')?.samples, 5);
    // Nobody has left step 3 yet: no median, and so nobody is stuck on it.
    assert.equal(step('3')?.medianSeconds, null);
  });

  it('applies the rules it is given', async () => {
    const lenient = await classOverview(store, { activeWithinSeconds: 3 * 3600, limit: 500, rules: { ...DEFAULT_RULES, stuckFactor: 10, idleMinutes: 30 }, now: NOW });
    const status = (token: string) => lenient.sessions.find((s) => s.sessionToken === token)?.status;
    assert.equal(status('ws_stuck'), 'erroring');
    assert.equal(status('ws_idle'), 'on_track');
    const wider = await classOverview(store, { activeWithinSeconds: 5 * 3600, limit: 500, rules: DEFAULT_RULES, now: NOW });
    assert.ok(wider.sessions.some((s) => s.sessionToken === 'ws_gone'));
  });
});

await describeEachEngine('class overview of a step one student alone has left', (engine) => {
  let store: EventStore;
  let overview: ClassOverview;
  const row = (token: string) => overview.sessions.find((s) => s.sessionToken === token);

  before(async () => {
    const database = await engine.createDatabase();
    store = await database.openStore();
    const visit = (sessionToken: string, to: number, ago: number, toStepName?: string): PastEvent => ({
      sessionToken, eventType: 'navigation', eventData: { to, ...(toStepName === undefined ? {} : { toStepName }) }, at: minutesAgo(ago),
    });
    await insertAt(database.url, [
      // A classmate who named step 5 on their way through it.
      visit('ws_mate', 5, 45, 'Deploy'),
      visit('ws_mate', 6, 30),
      // Looked ahead at step 5 for a minute (its page named nothing), then back on step 1
      // for 39 minutes: past the fallback limit, but nobody else has left step 1.
      visit('ws_back', 1, 41, STEPS[1]),
      visit('ws_back', 5, 40),
      visit('ws_back', 1, 39, STEPS[1]),
      { sessionToken: 'ws_back', eventType: 'action', eventData: { actionName: 'typing' }, at: minutesAgo(1) },
    ]);
    overview = await classOverview(store, { activeWithinSeconds: 3600, limit: 500, rules: { ...DEFAULT_RULES, stuckFallbackMinutes: 20 }, now: NOW });
  });
  after(() => store.close());

  it('does not count a student as their own classmate', () => {
    assert.equal(row('ws_back')?.currentStep, '1');
    assert.equal(row('ws_back')?.status, 'on_track');
  });

  it('keeps the name a step was given when a later stay gives none', () => {
    assert.equal(overview.steps.find((s) => s.step === '5')?.stepName, 'Deploy');
  });
});

await describeEachEngine('GET /api/sessions', (engine) => {
  let app: RunningApp;
  let url: string;
  before(async () => {
    const database = await engine.createDatabase();
    url = database.url;
    app = await startApp(database);
  });
  after(() => app.close());

  const get = (query: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }) =>
    fetch(`${app.url}/api/sessions${query}`, { headers });

  it('answers instructors with the live class, students by name', async () => {
    await app.post({ sessionToken: 'ws_live', studentEmail: 'ada@example.edu', studentName: 'Ada', eventType: 'navigation', eventData: { from: 0, to: 1, toStepName: 'Choose Use Case' } });
    const response = await get('');
    assert.equal(response.status, 200);
    const body = (await response.json()) as { success: boolean; rules: unknown; sessions: Array<Record<string, unknown>> };
    assert.equal(body.success, true);
    assert.deepEqual(body.rules, DEFAULT_RULES);
    assert.deepEqual(
      body.sessions.map((s) => [s.sessionToken, s.studentEmail, s.studentName, s.currentStep, s.stepName, s.status]),
      [['ws_live', 'ada@example.edu', 'Ada', '1', 'Choose Use Case', 'on_track']],
    );
  });

  it('follows a student from step to step as the service stores their navigations', async () => {
    const navigate = (to: number) => app.post({ sessionToken: 'ws_moving', eventType: 'navigation', eventData: { to, toStepName: STEPS[to] } });
    const onStep = async () => {
      const body = (await (await get('')).json()) as { sessions: Array<{ sessionToken: string; currentStep: string; onStepSince: string }> };
      const moving = body.sessions.find((s) => s.sessionToken === 'ws_moving');
      return [moving?.currentStep, moving?.onStepSince];
    };
    await navigate(1);
    const arrived = await onStep();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await navigate(1);
    assert.deepEqual(await onStep(), arrived);
    await navigate(2);
    const [step, since] = await onStep();
    assert.equal(step, '2');
    assert.ok(Date.parse(String(since)) > Date.parse(String(arrived[1])));
  });

  it('names a step given as a number the same on both engines, however large or small', async () => {
    await app.post({ sessionToken: 'ws_huge_step', eventType: 'navigation', eventData: { currentStep: 1e21 } });
    await app.post({ sessionToken: 'ws_tiny_step', eventType: 'navigation', eventData: { to: -1.5e-7 } });
    const body = (await (await get('')).json()) as { sessions: Array<{ sessionToken: string; currentStep: string }> };
    const stepOf = (token: string) => body.sessions.find((s) => s.sessionToken === token)?.currentStep;
    assert.equal(stepOf('ws_huge_step'), '1000000000000000000000');
    assert.equal(stepOf('ws_tiny_step'), '-0.00000015');
  });

  it('counts a session’s events as stored: a retried event once', async () => {
    const event = { sessionToken: 'ws_count', eventType: 'action', eventData: {}, eventId: '0190b6a4-3c1e-7d3a-9f2b-1a2b3c4d5e6f' };
    await app.post({ events: [event, { ...event, eventId: undefined }] });
    await app.post(event);
    const body = (await (await get('')).json()) as { sessions: Array<{ sessionToken: string; eventCount: number }> };
    assert.equal(body.sessions.find((s) => s.sessionToken === 'ws_count')?.eventCount, 2);
  });

  it('forgets the sessions of a deleted student, and their time on each step', async () => {
    const gone = { sessionToken: 'ws_deleted', studentEmail: 'gone@example.edu', eventType: 'navigation' };
    await app.post({ ...gone, eventData: { to: 9, toStepName: 'Reached by the deleted student alone' } });
    await app.post({ ...gone, eventData: { to: 10 } });
    const steps = async () => ((await (await get('')).json()) as { steps: Array<{ step: string }> }).steps.map((s) => s.step);
    assert.ok((await steps()).includes('9'));
    await deleteStudent(url, 'gone@example.edu');
    const body = (await (await get('')).json()) as { sessions: Array<{ sessionToken: string }> };
    assert.ok(!body.sessions.some((s) => s.sessionToken === 'ws_deleted'));
    assert.ok(!(await steps()).includes('9'));
  });

  it('refuses anyone else, and bad parameters', async () => {
    assert.equal((await get('', {})).status, 401);
    for (const query of ['?activeWithin=3x', '?activeWithin=0h', '?limit=0', '?stuckFactor=-1', '?minSamples=0', '?other=1']) {
      assert.equal((await get(query)).status, 400, query);
    }
    assert.equal((await get('?activeWithin=90m&stuckFactor=2.5&limit=10')).status, 200);
  });
});
