// The dashboard live, in real Chromium, served by the real service on SQLite: an open
// timeline, the class and the live view updated by the event stream (and the class polled
// when it cannot be opened), and what the page says when the service goes away.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserUnavailable } from '../helpers/browser.js';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { insertAt } from '../helpers/insert-at.js';
import { startApp, type RunningApp } from '../helpers/test-app.js';
import { classmates, connection, minutesAgo, navigation, openDashboard } from './dashboard-page.js';

const sqlite = ENGINES.find((engine) => engine.name === 'sqlite');

/** What the tests' code run in the page uses of it (the tests are typed for Node, without the DOM). */
type InPage = { __sameDocument?: boolean };

describe('live dashboard in Chromium', { skip: browserUnavailable() ?? false }, () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let appClosed = false;
  /** GET /api/sessions requests the page has made. */
  let overviewLoads = 0;
  const post = async (body: Record<string, unknown>) => assert.equal((await app.post(body)).status, 200);

  before(async () => {
    if (sqlite === undefined) throw new Error('no SQLite engine');
    const database = await sqlite.createDatabase();
    app = await startApp(database);
    // Katherine has just arrived at Choose Use Case.
    const now = Date.now();
    await insertAt(database.url, [...classmates(now), navigation('ws_katherine', null, 0, minutesAgo(now, 3)), navigation('ws_katherine', 0, 1, minutesAgo(now, 1))]);
    await post({ sessionToken: 'ws_katherine', studentEmail: 'katherine@workshop.example.edu', studentName: 'Katherine Johnson', eventType: 'action', eventData: { actionName: 'typing' } });
    ({ browser, page } = await openDashboard(app));
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/sessions') overviewLoads += 1;
    });
  });
  after(async () => {
    await browser?.close();
    if (!appClosed) await app?.close();
    await cleanUpDatabases();
  });

  it('shows an event in an open timeline as it arrives, without a reload, and says the page is live', async () => {
    await page.goto(`${app.url}/?view=student&session=ws_ada`);
    const rows = page.locator('.event-list li');
    await rows.nth(1).waitFor();
    await connection(page).filter({ hasText: 'Live' }).waitFor();
    assert.equal(await rows.count(), 2);
    const marks = await page.locator('.timeline .mark').count();
    await page.evaluate(() => ((globalThis as InPage).__sameDocument = true));
    await post({ sessionToken: 'ws_ada', eventType: 'error', eventData: { errorType: 'live_error', errorMessage: 'arrived while watching', statusCode: 500 } });
    await rows.filter({ hasText: 'live_error: arrived while watching (500)' }).waitFor();
    assert.equal(await rows.count(), 3);
    assert.equal(await page.locator('.timeline .mark').count(), marks + 1);
    assert.equal(await page.locator('.timeline .mark.kind-error').count(), 1);
    assert.equal(await page.evaluate(() => (globalThis as InPage).__sameDocument), true, 'the page was reloaded');
    assert.equal(await connection(page).innerText(), 'Live');
  });

  it('shows an event stored while the history loads once, neither lost nor twice', async () => {
    // The history's read is held back until an event has been stored after the stream opened.
    let posted: Promise<void> | undefined;
    await page.route('**/api/session-log?*sessionToken=ws_alan*', async (route) => {
      posted ??= post({ sessionToken: 'ws_alan', eventType: 'action', eventData: { actionName: 'between_ready_and_history' } });
      await posted;
      await route.continue();
    });
    await page.goto(`${app.url}/?view=student&session=ws_alan`);
    const rows = page.locator('.event-list li');
    await rows.filter({ hasText: 'between_ready_and_history' }).waitFor();
    await page.waitForTimeout(500);
    assert.equal(await rows.filter({ hasText: 'between_ready_and_history' }).count(), 1);
    assert.equal(await rows.count(), 3);
    await page.unrouteAll();
  });

  it('updates the class when events arrive, and does not poll while the stream is up', async () => {
    await page.goto(`${app.url}/?view=overview`);
    const row = page.locator('table.overview tbody tr', { hasText: 'Katherine Johnson' });
    await row.waitFor();
    await connection(page).filter({ hasText: 'Live' }).waitFor();
    assert.match(await row.locator('td.step').innerText(), /1 · Choose Use Case/);
    // Longer than the fallback's 5 s poll: no load while nothing happens.
    const idle = overviewLoads;
    await page.waitForTimeout(6000);
    assert.equal(overviewLoads, idle, 'the class was polled while the stream was up');
    await post({ sessionToken: 'ws_katherine', eventType: 'navigation', eventData: { from: 1, to: 2, toStepName: 'Provision Services' } });
    await post({ sessionToken: 'ws_katherine', eventType: 'help_request', eventData: { message: 'which region do I pick?' } });
    await row.locator('td.step', { hasText: '2 · Provision Services' }).waitFor();
    await row.locator('.status', { hasText: 'asked for help' }).waitFor();
    assert.match(await row.innerText(), /which region do I pick\?/);
    // Two events close together: one load at once, at most one more after the 2 s gap.
    await page.waitForTimeout(2500);
    assert.ok(overviewLoads - idle >= 1 && overviewLoads - idle <= 2, `${overviewLoads - idle} loads for two events`);
  });

  it('polls the class every 5 s while the stream cannot be opened, and says it is not live', async () => {
    await page.route('**/api/session-log/stream*', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ success: false, error: { code: 'unavailable', message: 'busy' } }) }),
    );
    await page.goto(`${app.url}/?view=overview`);
    await page.locator('table.overview tbody tr').first().waitFor();
    const first = overviewLoads;
    await connection(page).filter({ hasText: /Connecting|Reconnecting/ }).waitFor();
    await post({ sessionToken: 'ws_barbara', eventType: 'help_request', eventData: { message: 'polled, not streamed' } });
    await page.locator('table.overview tbody tr', { hasText: 'polled, not streamed' }).waitFor({ timeout: 8000 });
    assert.ok(overviewLoads > first, 'the class was not polled');
    assert.notEqual(await connection(page).innerText(), 'Live');
    await page.unrouteAll();
  });

  it('follows the live stream with the query’s filters, and holds events while paused', async () => {
    await page.goto(`${app.url}/?view=live`);
    await page.fill('form.search input[name=eventType]', 'error');
    await page.fill('form.search textarea[name=filters]', 'statusCode=gte:500');
    await page.click('form.search button[type=submit]');
    await page.waitForURL(/view=live.*eventType=error/);
    await page.locator('section.live[data-state=live]').waitFor();
    const rows = page.locator('section.live .event-list li');
    const error = (sessionToken: string, errorType: string, statusCode: number) => post({ sessionToken, eventType: 'error', eventData: { errorType, statusCode } });
    await post({ sessionToken: 'ws_ada', eventType: 'action', eventData: { actionName: 'not_an_error', statusCode: 503 } });
    await error('ws_ada', 'client_error', 404);
    await error('ws_alan', 'server_error', 503);
    await error('ws_edsger', 'last_one', 500);
    // In order: once the last has arrived, so has everything before it.
    await rows.filter({ hasText: 'last_one' }).waitFor();
    assert.deepEqual((await rows.locator('.summary').allInnerTexts()).map((text) => text.split(':')[0]), ['last_one', 'server_error']);
    assert.match(await rows.first().innerText(), /ws_edsger/);

    await page.click('button:text-is("Pause")');
    await error('ws_ada', 'held_one', 502);
    await error('ws_ada', 'held_two', 502);
    await page.locator('section.live', { hasText: 'Paused: 2 new events held' }).waitFor();
    assert.equal(await rows.filter({ hasText: 'held_' }).count(), 0);
    await page.click('button:text-is("Resume")');
    await rows.filter({ hasText: 'held_two' }).waitFor();
    assert.deepEqual((await rows.locator('.summary').allInnerTexts()).map((text) => text.split(':')[0]), ['held_two', 'held_one', 'last_one', 'server_error']);

    // Each event links to its student's timeline.
    await rows.filter({ hasText: 'server_error' }).locator('a.timeline-link').click();
    await page.waitForURL(/view=student&session=ws_alan/);
    await page.locator('.event-list li', { hasText: 'server_error' }).waitFor();
  });

  it('shows the service’s refusal of a filter in the live view', async () => {
    await page.goto(`${app.url}/?view=live&filters=${encodeURIComponent('statusCode=gte:many')}`);
    await page.locator('section.live [role=alert]', { hasText: /data\.statusCode/ }).waitFor();
    await page.locator('section.live[data-state=refused]').waitFor();
  });

  it('says the page is reconnecting, then offline, when the service goes away', async () => {
    await page.goto(`${app.url}/?view=overview`);
    await connection(page).filter({ hasText: 'Live' }).waitFor();
    await app.close();
    appClosed = true;
    await connection(page).filter({ hasText: /Reconnecting|Offline/ }).waitFor();
    await connection(page).filter({ hasText: 'Offline' }).waitFor({ timeout: 15_000 });
  });});
