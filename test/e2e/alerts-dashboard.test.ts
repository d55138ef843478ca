// Alerts in the dashboard, in real Chromium, served by the real service on SQLite: rules
// made, disabled and deleted through the form, their webhook deliveries, a toast for each
// alert as it fires (a student becoming stuck), and the list of alerts to acknowledge.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { alertsApi } from '../helpers/alerts-api.js';
import { browserUnavailable } from '../helpers/browser.js';
import { cleanUpDatabases, ENGINES, type TestDatabase } from '../helpers/engines.js';
import { insertAt, type PastEvent } from '../helpers/insert-at.js';
import { startApp, type RunningApp } from '../helpers/test-app.js';
import { classmates, connection, minutesAgo, navigation, openDashboard } from './dashboard-page.js';

const sqlite = ENGINES.find((engine) => engine.name === 'sqlite');
/** Alerts checked often, and webhooks to this machine allowed (the test's receiver). */
const FAST_ALERTS = { alerts: { stuckCheckMs: 300, rulesRefreshMs: 300 }, webhooks: { allowPrivate: true } };

/** Hedy, on Provision Services for 26 minutes and active a minute ago: stuck. */
function stuckStudent(now: number): PastEvent[] {
  return [
    navigation('ws_hedy', null, 0, minutesAgo(now, 27)),
    navigation('ws_hedy', 0, 2, minutesAgo(now, 26)),
    { sessionToken: 'ws_hedy', eventType: 'action', eventData: { actionName: 'retry_deploy' }, at: minutesAgo(now, 1) },
  ];
}

/** A webhook receiver on loopback that answers 200 and keeps what it was sent. */
async function startReceiver(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('alerts in the dashboard in Chromium', { skip: browserUnavailable() ?? false }, () => {
  let database: TestDatabase;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const post = async (body: Record<string, unknown>) => assert.equal((await app.post(body)).status, 200);

  before(async () => {
    if (sqlite === undefined) throw new Error('no SQLite engine');
    database = await sqlite.createDatabase();
    app = await startApp(database, FAST_ALERTS);
    await insertAt(database.url, classmates(Date.now()));
    receiver = await startReceiver();
    ({ browser, page } = await openDashboard(app));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await receiver?.close();
    await cleanUpDatabases();
  });

  it('makes a rule through the form, shows its webhook secret once, and the service’s refusal beside the form', async () => {
    await page.goto(`${app.url}/?view=alerts`);
    const form = page.locator('form.rule-form');
    await form.locator('select[name=kind]').selectOption('match');
    await form.locator('input[name=name]').fill('Server errors');
    await form.locator('textarea[name=filters]').fill('statusCode=gte:many');
    await form.locator('button[type=submit]').click();
    await form.locator('[role=alert]', { hasText: /data\.statusCode/ }).waitFor();

    await form.locator('textarea[name=filters]').fill('statusCode=gte:500');
    await form.locator('input[name=webhookUrl]').fill(receiver.url);
    await form.locator('button[type=submit]').click();
    const rule = page.locator('.rule-list li.rule', { hasText: 'Server errors' });
    await rule.waitFor();
    assert.match(await rule.innerText(), /each event matching eventType=error, data\.statusCode=gte:500/);
    const secret = page.locator('.secret');
    assert.match(await secret.innerText(), /shown this once/);
    assert.match(await secret.locator('.secret-value').innerText(), /\S{16,}/);
    await secret.locator('button', { hasText: 'I have kept it' }).click();
    assert.equal(await page.locator('.secret').count(), 0);
    await page.reload();
    await rule.waitFor();
    assert.equal(await page.locator('.secret').count(), 0);
  });

  it('shows a rule’s webhook deliveries, and a toast for its alert', async () => {
    // The alerts stream is up: alerts fired from now on are announced.
    await connection(page).filter({ hasText: 'Live' }).waitFor();
    await post({ sessionToken: 'ws_alonzo', studentEmail: 'alonzo@workshop.example.edu', studentName: 'Alonzo Church', eventType: 'error', eventData: { errorType: 'deploy_failed', statusCode: 502 } });
    const toast = page.locator('.toasts .toast', { hasText: 'Alonzo Church' });
    await toast.waitFor();
    assert.match(await toast.innerText(), /Server errors/);
    const api = alertsApi(app);
    let deliveries = await api.deliveries();
    for (let tries = 0; tries < 100 && (deliveries.length === 0 || deliveries.some((d) => d.status !== 'delivered')); tries++) {
      await page.waitForTimeout(100);
      deliveries = await api.deliveries();
    }
    assert.ok(receiver.bodies.some((body) => body.includes('Alonzo Church')), 'the webhook was not posted');
    const rule = page.locator('.rule-list li.rule', { hasText: 'Server errors' });
    await rule.locator('button', { hasText: 'Webhook deliveries' }).click();
    const listed = rule.locator('.deliveries li');
    await listed.first().waitFor();
    assert.equal(await listed.count(), deliveries.length);
    for (const text of await listed.allInnerTexts()) assert.match(text, /to http:\/\/127\.0\.0\.1:\d+\/hook: delivered \(HTTP 200\) after 1 attempt$/);
    await toast.locator('button.dismiss').click();
    assert.equal(await toast.count(), 0);
  });

  it('disables and deletes a rule through its controls', async () => {
    const rule = page.locator('.rule-list li.rule', { hasText: 'Server errors' });
    const enabled = rule.locator('input[type=checkbox]');
    assert.equal(await enabled.isChecked(), true);
    await Promise.all([page.waitForResponse((response) => response.request().method() === 'PATCH' && response.ok()), enabled.uncheck()]);
    await page.reload();
    await rule.waitFor();
    assert.equal(await rule.locator('input[type=checkbox]').isChecked(), false);
    await rule.locator('button', { hasText: 'Delete…' }).click();
    await Promise.all([page.waitForResponse((response) => response.request().method() === 'DELETE' && response.ok()), rule.locator('button', { hasText: 'Delete “Server errors”' }).click()]);
    assert.equal(await rule.count(), 0);
    await page.reload();
    await page.locator('.rules').waitFor();
    await page.locator('.rules', { hasText: 'No rule yet' }).waitFor();
  });

  it('makes a class-wide rule with its counts', async () => {
    const form = page.locator('form.rule-form');
    await form.locator('select[name=kind]').selectOption('class_wide');
    await form.locator('input[name=name]').fill('Twilio deploys failing');
    await form.locator('textarea[name=filters]').fill('errorType=twilio_function_deploy_failed');
    await form.locator('input[name=minEvents]').fill('3');
    await form.locator('input[name=minStudents]').fill('2');
    await form.locator('input[name=windowMinutes]').fill('10');
    await form.locator('button[type=submit]').click();
    const rule = page.locator('.rule-list li.rule', { hasText: 'Twilio deploys failing' });
    await rule.waitFor();
    assert.match(await rule.innerText(), /3 or more events matching eventType=error, data\.errorType=twilio_function_deploy_failed from 2 or more students within 10 min/);
    // No webhook, no secret to show.
    assert.equal(await page.locator('.secret').count(), 0);
    const [stored] = (await alertsApi(app).call('GET', '/api/alerts/rules')).body.rules as Array<Record<string, unknown>>;
    assert.deepEqual([stored?.minEvents, stored?.minStudents, stored?.windowMinutes, stored?.cooldownMinutes], [3, 2, 10, 10]);
  });

  it('announces a student who becomes stuck in a toast that opens their timeline', async () => {
    await page.goto(`${app.url}/?view=alerts`);
    const form = page.locator('form.rule-form');
    await form.locator('select[name=kind]').selectOption('stuck');
    await form.locator('input[name=name]').fill('Stuck students');
    // Being stuck alone: the form sends only the statuses left checked.
    await form.locator('input[name=statuses][value=asked_for_help]').uncheck();
    await form.locator('button[type=submit]').click();
    await page.locator('.rule-list li.rule', { hasText: 'Stuck students' }).waitFor();

    await page.goto(`${app.url}/?view=overview`);
    await connection(page).filter({ hasText: 'Live' }).waitFor();
    await insertAt(database.url, stuckStudent(Date.now()));
    await post({ sessionToken: 'ws_hedy', studentEmail: 'hedy@workshop.example.edu', studentName: 'Hedy Lamarr', eventType: 'action', eventData: { actionName: 'typing' } });
    const toast = page.locator('.toasts[role=status] .toast', { hasText: 'Hedy Lamarr' });
    await toast.waitFor({ timeout: 15_000 });
    assert.match(await toast.innerText(), /Stuck students/);
    assert.match(await toast.innerText(), /stuck on step 2 · Provision Services/);
    assert.equal(await page.locator('.toasts').getAttribute('aria-live'), 'polite');
    await toast.locator('a', { hasText: 'Hedy Lamarr' }).click();
    await page.waitForURL(/view=student&session=ws_hedy/);
    await page.locator('.event-list li', { hasText: 'typing' }).waitFor();
    await toast.locator('button.dismiss').click();
    assert.equal(await page.locator('.toasts .toast').count(), 0);
  });

  it('lists the alert until it is acknowledged', async () => {
    await page.goto(`${app.url}/?view=alerts`);
    const alert = page.locator('.alert-list > li', { hasText: 'Hedy Lamarr' });
    await alert.waitFor();
    await alert.locator('a', { hasText: 'Hedy Lamarr' }).waitFor();
    await alert.locator('button', { hasText: 'Acknowledge' }).click();
    await page.locator('.alert-list > li', { hasText: 'Hedy Lamarr' }).waitFor({ state: 'detached' });
    await page.reload();
    await page.locator('.alerts h2').waitFor();
    await page.locator('.alert-list > li', { hasText: 'Alonzo Church' }).waitFor();
    assert.equal(await alert.count(), 0);
    await page.locator('.alerts input[type=checkbox]').uncheck();
    await alert.filter({ hasText: 'acknowledged at' }).waitFor();
    assert.equal((await alertsApi(app).alerts('&unacknowledged=true')).filter((a) => a.ruleName === 'Stuck students').length, 0);
  });
});
