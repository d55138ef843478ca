// Each rule kind firing and not firing, cooldowns, acknowledging, the live alert stream,
// and a restart, against the real service on each engine.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import type { Alert } from '../../src/alerts/alert-schemas.js';
import { alertsApi } from '../helpers/alerts-api.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import type { TestDatabase } from '../helpers/engines.js';
import { insertAt } from '../helpers/insert-at.js';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../helpers/test-app.js';

const FAST = { alerts: { stuckCheckMs: 100, rulesRefreshMs: 100, classWideCheckMs: 50 } };
const about = (alert: Alert) => alert.students.map((s) => s.sessionToken).join(',');
const data = (alert: Alert | undefined) => alert?.event?.event_data as Record<string, unknown> | undefined;

await describeEachEngine('alerts firing', (engine) => {
  let database: TestDatabase;
  let app: RunningApp;
  let api: ReturnType<typeof alertsApi>;
  before(async () => {
    database = await engine.createDatabase();
    app = await startApp(database, FAST);
    api = alertsApi(app);
  });
  after(() => app.close());

  const post = async (sessionToken: string, eventType: string, eventData: Record<string, unknown>, studentEmail?: string) =>
    assert.equal((await app.post({ sessionToken, eventType, eventData, studentEmail })).status, 200);
  /** A matching event of its own, whose alert shows that the events before it were all evaluated. */
  const sentinel = async (ruleName: string, sessionToken: string, eventData: Record<string, unknown>) => {
    await post(sessionToken, 'error', eventData);
    return api.waitForAlerts((alerts) => alerts.some((a) => a.ruleName === ruleName && about(a) === sessionToken));
  };

  it('fires a match rule for matching events only, once per student within the cooldown', async () => {
    await api.createRule({ name: 'server errors', kind: 'match', filters: { eventType: 'error', 'data.statusCode': 'gte:500' } });
    await sleep(300);
    await post('ws_m1', 'error', { errorType: 'deploy_failed', errorMessage: 'Function deployment timeout', statusCode: 500, currentStep: 2, stepName: 'Provision Services' }, 'ada@example.edu');
    await post('ws_m1', 'error', { errorType: 'deploy_failed', errorMessage: 'again', statusCode: 502 });
    await post('ws_m2', 'error', { errorType: 'not_found', statusCode: 404 });
    await post('ws_m2', 'action', { actionName: 'retry', statusCode: 500 });
    const alerts = (await sentinel('server errors', 'ws_m3', { statusCode: 503 })).filter((a) => a.ruleName === 'server errors');
    assert.deepEqual(alerts.map(about).sort(), ['ws_m1', 'ws_m3']);
    const ada = alerts.find((a) => about(a) === 'ws_m1')!;
    assert.equal(ada.summary, 'ada@example.edu on step 2 · Provision Services: error deploy_failed: Function deployment timeout (500)');
    assert.deepEqual([ada.kind, ada.step, ada.stepName, data(ada)?.statusCode, ada.students[0]?.studentEmail], ['match', '2', 'Provision Services', 500, 'ada@example.edu']);
  });

  it('fires on every matching event with no cooldown', async () => {
    await api.createRule({ name: 'help requests', kind: 'match', filters: { eventType: 'help_request' }, cooldownMinutes: 0 });
    await sleep(300);
    for (const message of ['one', 'two', 'three']) await post('ws_h', 'help_request', { message });
    const alerts = await api.waitForAlerts((all) => all.filter((a) => a.ruleName === 'help requests').length >= 3);
    assert.deepEqual(alerts.filter((a) => a.ruleName === 'help requests').map((a) => data(a)?.message), ['three', 'two', 'one']);
  });

  it('fires a class-wide rule once N events from M students fall within the window', async () => {
    await api.createRule({
      name: 'twilio broken',
      kind: 'class_wide',
      filters: { eventType: 'error', 'data.errorType': 'twilio_function_deploy_failed' },
      minEvents: 3,
      minStudents: 2,
      windowMinutes: 10,
    });
    await sleep(300);
    const twilio = { errorType: 'twilio_function_deploy_failed', errorMessage: 'Twilio account not authorized for Functions', statusCode: 403 };
    await post('ws_t1', 'error', twilio);
    await post('ws_t1', 'error', twilio);
    await sleep(500);
    assert.equal((await api.alerts()).filter((a) => a.ruleName === 'twilio broken').length, 0, 'three events, one student: not yet');
    await post('ws_t2', 'error', twilio);
    const [alert] = (await api.waitForAlerts((all) => all.some((a) => a.ruleName === 'twilio broken'))).filter((a) => a.ruleName === 'twilio broken');
    assert.match(alert!.summary, /^3 matching events from 2 students in the last 10 min; latest: error twilio_function_deploy_failed/);
    assert.deepEqual(alert!.students.map((s) => s.sessionToken).sort(), ['ws_t1', 'ws_t2']);
    await post('ws_t3', 'error', twilio);
    await sleep(500);
    assert.equal((await api.alerts()).filter((a) => a.ruleName === 'twilio broken').length, 1, 'one problem, one alert (cooldown)');
  });

  it('fires a stuck rule once for a student who becomes stuck, and once for a help request', async () => {
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const nav = (sessionToken: string, to: number, m: number) => ({ sessionToken, eventType: 'navigation', eventData: { from: to - 1, to, toStepName: `Step ${to}` }, at: minutesAgo(m) });
    // Four classmates took 4 minutes on step 2; Grace has been on it for 30.
    await insertAt(database.url, [
      ...['ws_s1', 'ws_s2', 'ws_s3', 'ws_s4'].flatMap((token) => [nav(token, 2, 40), nav(token, 3, 36)]),
      nav('ws_grace', 2, 30),
      { sessionToken: 'ws_grace', eventType: 'action', eventData: {}, at: minutesAgo(1) },
    ]);
    await api.createRule({ name: 'stuck students', kind: 'stuck' });
    // (Earlier tests' students may alert too: ws_h asked for help. Each is looked at alone.)
    const ofStudent = (all: Alert[], token: string) => all.filter((a) => a.ruleName === 'stuck students' && about(a) === token);
    const [stuck] = ofStudent(await api.waitForAlerts((all) => ofStudent(all, 'ws_grace').length > 0), 'ws_grace');
    assert.match(stuck!.summary, /^session ws_grace is stuck on step 2 · Step 2: 30 min on this step; the class took 4 min \(median\)/);
    await post('ws_s1', 'help_request', { message: 'my agent does not answer' });
    const [help] = ofStudent(await api.waitForAlerts((all) => ofStudent(all, 'ws_s1').length > 0), 'ws_s1');
    assert.equal(help!.summary, 'session ws_s1 asked for help on step 3 · Step 3: “my agent does not answer”');
    await sleep(500);
    const later = await api.alerts();
    assert.deepEqual([ofStudent(later, 'ws_grace').length, ofStudent(later, 'ws_s1').length], [1, 1], 'later checks raise nothing new');
  });

  it('acknowledges an alert and streams new ones as they fire', async () => {
    const response = await fetch(`${app.url}/api/alerts/stream`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: ready')) text += (await reader.read()).value ?? '';
    await post('ws_live_alert', 'error', { statusCode: 500 });
    while (!text.includes('ws_live_alert')) text += (await reader.read()).value ?? '';
    await reader.cancel();
    assert.match(text, /event: alert\ndata: \{"alertId":\d+,"ruleId":\d+,"ruleName":"server errors"/);

    const [alert] = await api.alerts();
    const acknowledged = await api.call('POST', `/api/alerts/${alert!.alertId}/acknowledge`);
    assert.equal(acknowledged.status, 200);
    assert.ok((acknowledged.body.alert as Alert).acknowledgedAt !== null);
    assert.equal((await api.alerts('&unacknowledged=true')).some((a) => a.alertId === alert!.alertId), false);
  });

  it('leaves events stored before a rule was made alone', async () => {
    await post('ws_before_rule', 'quota_warning', { percent: 95 });
    await api.createRule({ name: 'quota warnings', kind: 'match', filters: { eventType: 'quota_warning' }, cooldownMinutes: 0 });
    await sleep(300);
    await post('ws_after_rule', 'quota_warning', { percent: 99 });
    const alerts = await api.waitForAlerts((all) => all.some((a) => a.ruleName === 'quota warnings'));
    await sleep(300);
    assert.deepEqual((await api.alerts()).filter((a) => a.ruleName === 'quota warnings').map(about), ['ws_after_rule'], JSON.stringify(alerts.map(about)));
  });

  it('sends a reconnecting alert stream the alerts it missed (Last-Event-ID)', async () => {
    const [newest] = await api.alerts();
    await post('ws_missed_1', 'error', { statusCode: 500 });
    await post('ws_missed_2', 'error', { statusCode: 500 });
    await api.waitForAlerts((all) => ['ws_missed_1', 'ws_missed_2'].every((token) => all.some((a) => about(a) === token)));
    const response = await fetch(`${app.url}/api/alerts/stream`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'last-event-id': String(newest!.alertId) } });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('ws_missed_2')) text += (await reader.read()).value ?? '';
    await reader.cancel();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    assert.ok(ids.length >= 2 && ids.every((id) => id > newest!.alertId), text);
  });

  it('evaluates what was stored while the service was down, after a restart', async () => {
    await app.close();
    const store = await database.openStore();
    await store.insertEvents([{ sessionToken: 'ws_while_down', eventType: 'error', eventData: { statusCode: 500 } }]);
    await store.close();
    app = await startApp(database, FAST);
    api = alertsApi(app);
    await api.waitForAlerts((alerts) => alerts.some((a) => about(a) === 'ws_while_down'));
  });
});
