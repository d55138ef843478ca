// The instructor dashboard in real Chromium, served by the real service on SQLite, over
// a class whose history is written with past timestamps.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { browserUnavailable, launchChromium } from '../helpers/browser.js';
import { getStudentErrors } from '../conformance/spec-queries.js';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { insertAt, type PastEvent } from '../helpers/insert-at.js';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../helpers/test-app.js';
import { classmates, minutesAgo, navigation } from './dashboard-page.js';

const sqlite = ENGINES.find((engine) => engine.name === 'sqlite');
const XSS = '<img src=x onerror="window.__xss = 1">';

/**
 * Four students took 4-6 minutes on Provision Services; Grace has been on it for 25, failing,
 * after a minute on Connect Accounts (her first navigation, from nowhere: `from` is null).
 */
function classHistory(now: number): PastEvent[] {
  const at = (minutes: number) => minutesAgo(now, minutes);
  const grace = [
    navigation('ws_grace', null, 0, at(26)),
    navigation('ws_grace', 0, 2, at(25)),
    ...Array.from({ length: 150 }, (_, i): PastEvent => ({ sessionToken: 'ws_grace', eventType: 'action', eventData: { actionName: 'retry_deploy', attempt: i }, at: at(24 - i * 0.1) })),
    {
      sessionToken: 'ws_grace',
      eventType: 'error',
      eventData: { errorType: 'twilio_function_deploy_failed', errorMessage: 'Twilio account not authorized for Functions', statusCode: 403 },
      at: at(2),
    },
  ];
  const xss = { sessionToken: 'ws_alan', eventType: 'error', eventData: { errorType: 'bad_input', errorMessage: XSS }, at: at(20) };
  return [...classmates(now), ...grace, xss];
}

/** What the tests' code run in the page uses of it (the tests are typed for Node, without the DOM). */
interface PageElement {
  getAttribute(name: string): string | null;
  firstChild: { textContent: string | null } | null;
}
interface InPage {
  getComputedStyle(element: unknown): { fill: string; backgroundColor: string };
  document: { createRange(): { setStart(node: unknown, offset: number): void; setEnd(node: unknown, offset: number): void; getClientRects(): { length: number } } };
}

/** Whether the whole of `element` is in sight: inside the viewport, and inside `box` (a scroll box) if given. */
async function inSight(page: Page, element: Locator, box?: Locator): Promise<boolean> {
  const viewport = page.viewportSize();
  const shown = await element.boundingBox();
  if (viewport === null || shown === null) return false;
  const screen = { x: 0, y: 0, ...viewport };
  const clip = box === undefined ? screen : await box.boundingBox();
  const within = (outer: { x: number; y: number; width: number; height: number } | null) =>
    outer !== null && shown.x >= outer.x && shown.y >= outer.y && shown.x + shown.width <= outer.x + outer.width && shown.y + shown.height <= outer.y + outer.height;
  return within(screen) && within(clip);
}

describe('instructor dashboard in Chromium', { skip: browserUnavailable() ?? false }, () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    if (sqlite === undefined) throw new Error('no SQLite engine');
    const database = await sqlite.createDatabase();
    app = await startApp(database);
    await insertAt(database.url, classHistory(Date.now()));
    // Names come with the students' latest events, through the API as the SDK sends them.
    for (const [token, name] of [['ws_grace', 'Grace Hopper'], ['ws_ada', 'Ada Lovelace'], ['ws_alan', 'Alan Turing']] as const) {
      const email = `${name.split(' ')[0]?.toLowerCase() ?? ''}@workshop.example.edu`;
      await app.post({ sessionToken: token, studentEmail: email, studentName: name, eventType: 'action', eventData: { actionName: 'typing' } });
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await cleanUpDatabases();
  });

  it('is served with a Content-Security-Policy that allows no inline script', async () => {
    const response = await fetch(`${app.url}/`);
    assert.equal(response.status, 200);
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /script-src 'self'/);
    assert.ok(!policy.includes('unsafe-inline'));
  });

  it('signs in with the instructor token and shows the class, the stuck student first', async () => {
    await page.goto(app.url);
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    const row = page.locator('table.overview tbody tr', { hasText: 'Grace Hopper' });
    await row.waitFor();
    assert.equal(await row.locator('.status').innerText(), 'stuck');
    assert.match(await row.innerText(), /twilio_function_deploy_failed: Twilio account not authorized for Functions/);
    assert.match(await row.innerText(), /Provision Services/);
    // The four who moved on have been silent for half an hour: idle, after Grace.
    assert.match(await page.locator('table.overview tbody tr').first().innerText(), /Grace Hopper/);
    assert.ok(!(await page.context().cookies()).some((cookie) => cookie.value.includes(ADMIN_TOKEN)));
    const stored = await page.evaluate(() => JSON.stringify((globalThis as unknown as { localStorage: object }).localStorage));
    assert.ok(!stored.includes(ADMIN_TOKEN));
  });

  it('opens a stuck student on their latest error, open and in sight, in one click from the class', async () => {
    await page.locator('table.overview a', { hasText: 'Grace Hopper' }).click();
    const opened = page.locator('.event-list li.focus');
    await opened.locator('pre').waitFor();
    assert.match(page.url(), /view=student&session=ws_grace/);
    assert.match(await opened.innerText(), /twilio_function_deploy_failed: Twilio account not authorized for Functions \(403\)/);
    assert.match(await opened.locator('pre').innerText(), /"statusCode": 403/);
    assert.ok(await inSight(page, opened, page.locator('.event-list')), 'the error is not in sight');
    // Above it, the timeline is still in sight too.
    assert.ok(await inSight(page, page.locator('.timeline svg[role=img]')), 'the timeline is not in sight');
  });

  it('draws the timeline readably: step names that fit, a legend, a time axis, errors in red, no "null"', async () => {
    const bands = page.locator('.timeline .band');
    await bands.nth(1).waitFor();
    assert.equal(await bands.count(), 2);
    for (const [i, name] of ['Connect Accounts', 'Provision Services'].entries()) {
      const band = bands.nth(i);
      assert.match(await band.locator('title').textContent() ?? '', new RegExp(`^step ${i * 2} · ${name}: `));
      const label = (await band.locator('text').first().textContent()) ?? '';
      assert.ok(label === name || (label.endsWith('…') && name.startsWith(label.slice(0, -1))), `band ${i} reads "${label}"`);
      const [text, rect] = await Promise.all([band.locator('text').first().boundingBox(), band.locator('rect').boundingBox()]);
      assert.ok(text !== null && rect !== null && text.x + text.width <= rect.x + rect.width, `band ${i}'s label runs past it`);
    }
    // Grace's minute on Connect Accounts is a narrow band: cut, not hidden.
    assert.match((await bands.first().locator('text').first().textContent()) ?? '', /^Con.*…$/);
    const legend = await page.locator('.timeline .legend li').allInnerTexts();
    assert.deepEqual(legend, ['navigation', 'action', 'error or failed API call']);
    const ticks = await page.locator('.timeline .axis text').allTextContents();
    assert.ok(ticks.length >= 3 && ticks.every((tick) => /\d{1,2}:\d{2}/.test(tick)), `axis: ${ticks.join(', ')}`);
    assert.doesNotMatch((await page.locator('.timeline').textContent()) ?? '', /null/);
    assert.match(await page.locator('.event-list li').first().innerText(), /arrived at step 0 · Connect Accounts/);
    assert.equal(await page.locator('.timeline [style]').count(), 0);
  });

  it('colours each kind of mark one way, errors in red, the legend alike', async () => {
    const marks = await page.locator('.timeline .mark').evaluateAll((all: PageElement[]) =>
      all.map((mark) => ({ kind: mark.getAttribute('class') ?? '', fill: (globalThis as unknown as InPage).getComputedStyle(mark).fill })),
    );
    const fillOf = new Map(marks.map(({ kind, fill }) => [kind, fill]));
    assert.deepEqual([...fillOf.keys()].sort(), ['mark kind-action', 'mark kind-error', 'mark kind-navigation']);
    assert.ok(marks.every(({ kind, fill }) => fillOf.get(kind) === fill), 'marks of one kind in different colours');
    assert.equal(new Set(fillOf.values()).size, fillOf.size, 'two kinds share a colour');
    const [red = 0, green = 0, blue = 0] = fillOf.get('mark kind-error')?.match(/\d+/g)?.map(Number) ?? [];
    assert.ok(red > 2 * green && red > 2 * blue, `an error mark is rgb(${red}, ${green}, ${blue})`);
    // Drawn after the others, so no mark at the same instant covers it.
    assert.match((await page.locator('.timeline .mark').last().getAttribute('class')) ?? '', /kind-error/);
    const swatch = await page.locator('.timeline .legend li', { hasText: 'error' }).locator('.swatch').evaluate((span: PageElement) => (globalThis as unknown as InPage).getComputedStyle(span).backgroundColor);
    assert.equal(swatch, fillOf.get('mark kind-error'));
  });

  it('keeps the list in time order and filterable by type', async () => {
    await page.locator('button', { hasText: 'errors only' }).click();
    const rows = page.locator('.event-list li');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /twilio_function_deploy_failed: Twilio account not authorized for Functions \(403\)/);
    assert.match(await rows.first().locator('pre').innerText(), /"statusCode": 403/);
    await page.locator('button', { hasText: 'show all' }).click();
    assert.equal(await rows.count(), 154);
    assert.match(await rows.first().innerText(), /navigation/);
    assert.match(await rows.last().innerText(), /typing/);
  });

  it('shows an HTML payload in event data as text, and runs nothing', async () => {
    await page.fill('input[name=who]', 'ws_alan');
    await page.press('input[name=who]', 'Enter');
    const row = page.locator('.event-list li', { hasText: 'bad_input' });
    await row.waitFor();
    assert.ok((await row.innerText()).includes(XSS));
    assert.equal(await page.locator('.event-list img').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss), undefined);
  });

  it('searches by email, keeping the query in the URL', async () => {
    await page.locator('nav a', { hasText: 'Search' }).click();
    await page.fill('input[name=studentEmail]', 'grace@workshop.example.edu');
    await page.click('form.search button[type=submit]');
    await page.locator('.event-list li').first().waitFor();
    assert.match(page.url(), /view=search&studentEmail=grace%40workshop\.example\.edu/);
    assert.ok(!page.url().includes(ADMIN_TOKEN));
    // Events from before the session was identified belong to its token, not yet to the email.
    assert.match(await page.locator('.event-list li').first().innerText(), /typing/);
    assert.equal(await page.locator('.event-list li').count(), 1);
  });

  it('pages through a long session with "Load more", and reopens a shared search from its URL', async () => {
    await page.goto(`${app.url}/?view=search&sessionToken=ws_grace&eventType=action`);
    await page.locator('.event-list li').first().waitFor();
    assert.equal(await page.locator('.event-list li').count(), 100);
    await page.locator('button', { hasText: 'Load more' }).click();
    await page.locator('.event-list li').nth(150).waitFor();
    assert.equal(await page.locator('.event-list li').count(), 151);
    assert.equal(await page.locator('button', { hasText: 'Load more' }).count(), 0);
  });

  it('runs the spec’s getStudentErrors example in the page, signed in by the cookie alone', async () => {
    const errors = await page.evaluate<Array<{ event_data: { errorType: string } }>>(`(${getStudentErrors.toString()})('ws_grace')`);
    assert.deepEqual(errors.map((e) => e.event_data.errorType), ['twilio_function_deploy_failed']);
  });

  it('drops the answer of a search that a newer one overtook', async () => {
    await page.route('**/api/session-log?*eventType=error*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.goto(`${app.url}/?view=search`);
    await page.fill('input[name=eventType]', 'error');
    await page.click('form.search button[type=submit]');
    await page.fill('input[name=eventType]', 'navigation');
    await page.click('form.search button[type=submit]');
    await page.locator('.event-list li').first().waitFor();
    await page.waitForTimeout(2000);
    assert.match(page.url(), /eventType=navigation/);
    assert.equal(await page.locator('.event-list .badge', { hasText: 'error' }).count(), 0);
    assert.ok((await page.locator('.event-list .badge', { hasText: 'navigation' }).count()) > 0);
    await page.unrouteAll();
  });

  it('shows the fields of the search the URL holds, after Back too', async () => {
    await page.fill('input[name=eventType]', 'action');
    await page.click('form.search button[type=submit]');
    await page.waitForURL(/eventType=action/);
    await page.goBack();
    await page.waitForURL(/eventType=navigation/);
    assert.equal(await page.inputValue('input[name=eventType]'), 'navigation');
    await page.locator('nav a', { hasText: 'Search' }).click();
    assert.equal(await page.inputValue('input[name=eventType]'), '');
    assert.equal(await page.locator('.event-list li').count(), 0);
  });

  it('refuses a mistyped event data filter rather than search without it', async () => {
    await page.fill('input[name=eventType]', 'action');
    await page.fill('textarea[name=filters]', 'attempt>=100');
    await page.click('form.search button[type=submit]');
    assert.match(await page.locator('[role=alert]').innerText(), /"attempt>=100" is not a filter/);
    assert.equal(await page.locator('.event-list li').count(), 0);
    assert.doesNotMatch(page.url(), /filters=/);
  });

  it('says so when signing out fails, and stays signed in', async () => {
    await page.route('**/api/auth/session', (route) =>
      route.request().method() === 'DELETE'
        ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ success: false, error: { code: 'unavailable', message: 'database unavailable; retry shortly' } }) })
        : route.continue(),
    );
    await page.locator('button', { hasText: 'Sign out' }).click();
    await page.locator('[role=alert]', { hasText: 'Not signed out: database unavailable' }).waitFor();
    assert.equal(await page.locator('input[name=token]').count(), 0);
    await page.unrouteAll();
  });

  it('shows each student’s errors and latest error on a phone, step names whole', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('nav a', { hasText: 'Class' }).click();
    const row = page.locator('table.overview tbody tr', { hasText: 'Grace Hopper' });
    await row.waitFor();
    for (const cell of [row.locator('td.errors'), row.locator('td.latest-error')]) {
      const box = await cell.boundingBox();
      assert.ok(box !== null && box.x >= 0 && box.x + box.width <= 390, `${await cell.innerText()} is at ${JSON.stringify(box)}`);
    }
    assert.match(await row.locator('td.errors').innerText(), /1/);
    assert.match(await row.locator('td.latest-error').innerText(), /Twilio account not authorized for Functions/);
    // A word cut across two lines has a box on each.
    const cutWords = await row.locator('td.step').evaluate((cell: PageElement) => {
      const text = cell.firstChild;
      const range = (globalThis as unknown as InPage).document.createRange();
      return [...(text?.textContent ?? '').matchAll(/\S+/g)].filter((word) => {
        range.setStart(text, word.index);
        range.setEnd(text, word.index + word[0].length);
        return range.getClientRects().length > 1;
      }).map((word) => word[0]);
    });
    assert.deepEqual(cutWords, []);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('fits a phone’s width, however long a step’s name', async () => {
    await app.post({ sessionToken: 'ws_long', eventType: 'navigation', eventData: { to: 9, toStepName: 'x'.repeat(2000) } });
    await page.setViewportSize({ width: 390, height: 844 });
    for (const view of ['overview', 'search']) {
      await page.goto(`${app.url}/?view=${view}`);
      await page.locator('header').waitFor();
      if (view === 'overview') await page.locator('table.overview tbody tr', { hasText: 'ws_long' }).waitFor();
      const width = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${view} is ${width} px wide`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('signs out, after which the page is refused', async () => {
    await page.locator('button', { hasText: 'Sign out' }).click();
    await page.locator('input[name=token]').waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/session-log?eventType=error')).status);
    assert.equal(status, 401);
  });
});
