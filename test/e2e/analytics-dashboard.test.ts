// The dashboard's class-wide analytics and exports, in real Chromium, served by the real
// service on SQLite, over a small class logged through POST /api/session-log: the error
// patterns and failed API calls (each a row, its trend drawn, its students linked to their
// timelines), the step funnel, and the CSV, JSON and NDJSON downloads.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { browserUnavailable } from '../helpers/browser.js';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { readPage, startApp, type RunningApp } from '../helpers/test-app.js';
import { openDashboard, STEPS } from './dashboard-page.js';

const sqlite = ENGINES.find((engine) => engine.name === 'sqlite');

interface Student {
  token: string;
  name: string;
  run: string;
  events: Array<{ eventType: string; eventData: Record<string, unknown> }>;
}

const navigation = (from: number | null, to: number) => ({ eventType: 'navigation', eventData: { from, to, toStepName: STEPS[to], currentStep: to, stepName: STEPS[to] } });
const openaiKeyError = (key: string) => ({
  eventType: 'error',
  eventData: { errorType: 'openai_validation_failed', errorMessage: `Incorrect API key provided: sk-${key}…`, statusCode: 401, currentStep: 0, stepName: STEPS[0] },
});
const twilioDeployError = (accountSid: string, tags: Record<string, string> = {}) => ({
  eventType: 'error',
  eventData: { errorType: 'twilio_function_deploy_failed', errorMessage: `Twilio account ${accountSid} not authorized for Functions`, statusCode: 403, currentStep: 2, stepName: STEPS[2], ...tags },
});
const apiCall = (method: string, endpoint: string, status: number, step: number) => ({
  eventType: 'api_call',
  eventData: { method, endpoint, status, success: status < 400, currentStep: step, stepName: STEPS[step] },
});
const joined = (run: string) => ({ eventType: 'action', eventData: { actionName: 'joined_workshop', workshopId: run } });

/**
 * Five students of two workshop runs. Three fail OpenAI's key check (Grace twice), each with
 * their own key; two fail Twilio's deploy, each with their own account; Ada and Alan's
 * POSTs to their own user's keys fail with a 500. All reach Choose Use Case, four Provision
 * Services (Barbara going back once from it), three Build Agent. Each says which workshop run
 * they joined; Barbara's error carries her run's tag too.
 */
const CLASS: Student[] = [
  { token: 'ws_ada', name: 'Ada Lovelace', run: 'spring-26', events: [navigation(null, 0), openaiKeyError('ada111'), navigation(0, 1), navigation(1, 2), apiCall('POST', '/v1/users/1042/keys', 500, 2), navigation(2, 3)] },
  { token: 'ws_alan', name: 'Alan Turing', run: 'spring-26', events: [navigation(null, 0), openaiKeyError('alan22'), navigation(0, 1), navigation(1, 2), apiCall('POST', '/v1/users/2077/keys', 500, 2), navigation(2, 3)] },
  {
    token: 'ws_grace',
    name: 'Grace Hopper',
    run: 'fall-25',
    events: [navigation(null, 0), openaiKeyError('grace3'), openaiKeyError('grace4'), navigation(0, 1), apiCall('GET', '/v1/models', 401, 1), apiCall('GET', '/v1/models', 200, 1)],
  },
  {
    token: 'ws_barbara',
    name: 'Barbara Liskov',
    run: 'spring-26',
    events: [navigation(null, 0), navigation(0, 1), navigation(1, 2), twilioDeployError(`AC${'0123456789abcdef'.repeat(2)}`, { workshopId: 'spring-26' }), navigation(2, 1), navigation(1, 2), navigation(2, 3)],
  },
  { token: 'ws_edsger', name: 'Edsger Dijkstra', run: 'fall-25', events: [navigation(null, 0), navigation(0, 1), navigation(1, 2), twilioDeployError(`AC${'fedcba9876543210'.repeat(2)}`)] },
];

/** What the tests' code run in the page uses of it (the tests are typed for Node, without the DOM). */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray } } | null;
}

/** How many of a canvas's pixels are painted: 0 for a chart never drawn. */
function paintedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((element: PageCanvas) => {
    const pixels = element.getContext('2d')?.getImageData(0, 0, element.width, element.height).data ?? new Uint8ClampedArray();
    let painted = 0;
    for (let alpha = 3; alpha < pixels.length; alpha += 4) if (pixels[alpha] !== 0) painted += 1;
    return painted;
  });
}

/** Clicks an export link and waits for the file the browser saves. */
async function download(page: Page, link: Locator): Promise<{ download: Download; text: string }> {
  const [saved] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return { download: saved, text: await readFile(await saved.path(), 'utf8') };
}

describe('class-wide analytics in the dashboard in Chromium', { skip: browserUnavailable() ?? false }, () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  /** Every event of `query`, through the query API. */
  const eventsOf = async (query: string) => (await readPage(await app.get(`${query}&limit=1000`))).events;
  const errorRow = (errorType: string) => page.locator('#error-patterns tbody tr', { hasText: errorType });

  before(async () => {
    if (sqlite === undefined) throw new Error('no SQLite engine');
    app = await startApp(await sqlite.createDatabase());
    for (const student of CLASS) {
      const identity = { sessionToken: student.token, studentEmail: `${student.token.slice(3)}@workshop.example.edu`, studentName: student.name };
      const events = [joined(student.run), ...student.events].map((event) => ({ ...identity, ...event }));
      const response = await app.post({ events });
      assert.equal(response.status, 200, await response.text());
    }
    ({ browser, page } = await openDashboard(app));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await cleanUpDatabases();
  });

  it('lists each error pattern once, whatever key or account it named, with its count, students and trend drawn', async () => {
    await page.locator('nav a', { hasText: 'Analytics' }).click();
    const openai = errorRow('openai_validation_failed');
    await openai.waitFor();
    assert.match(page.url(), /view=analytics/);
    assert.equal(await openai.count(), 1);
    assert.equal(await openai.locator('td[data-label=Count]').innerText(), '4');
    assert.equal(await openai.locator('td[data-label=Students]').innerText(), '3 students');
    assert.match(await openai.locator('td.pattern').innerText(), /^Incorrect API key provided: /);
    for (const key of ['ada111', 'alan22', 'grace3', 'grace4']) assert.ok(!(await openai.innerText()).includes(key), `the pattern names ${key}`);
    assert.match(await openai.locator('td[data-label=Steps]').innerText(), /0 · Connect Accounts \(4\)/);
    const twilio = errorRow('twilio_function_deploy_failed');
    assert.equal(await twilio.count(), 1);
    assert.equal(await twilio.locator('td[data-label=Count]').innerText(), '2');
    assert.equal(await twilio.locator('td[data-label=Students]').innerText(), '2 students');
    assert.match(await page.locator('#error-patterns h3').innerText(), /6 errors in 2 patterns/);
    // The most frequent first.
    assert.match(await page.locator('#error-patterns tbody tr').first().innerText(), /openai_validation_failed/);
    const trend = openai.locator('td.trend canvas');
    await trend.waitFor();
    assert.ok((await paintedPixels(trend)) > 0, 'the trend chart is blank');
  });

  it('opens a pattern’s students, each a link to their timeline', async () => {
    const openai = errorRow('openai_validation_failed');
    await openai.locator('button', { hasText: '3 students' }).click();
    const students = page.locator('#error-patterns ul.affected-students li');
    await students.first().waitFor();
    assert.deepEqual((await students.locator('a').allInnerTexts()).sort(), ['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
    assert.match(await students.filter({ hasText: 'Grace Hopper' }).innerText(), /2×/);
    await students.locator('a', { hasText: 'Grace Hopper' }).click();
    await page.locator('.student h2', { hasText: 'Grace Hopper' }).waitFor();
    assert.match(page.url(), /view=student&session=ws_grace/);
    await page.locator('.event-list li', { hasText: 'openai_validation_failed' }).first().waitFor();
    await page.goBack();
    await errorRow('openai_validation_failed').waitFor();
  });

  it('groups failed API calls by method, endpoint (ids left out) and status', async () => {
    const keys = page.locator('#api-failures tbody tr', { hasText: '/v1/users/' });
    await keys.waitFor();
    assert.equal(await keys.count(), 1);
    assert.equal(await keys.locator('td[data-label=Method]').innerText(), 'POST');
    assert.equal(await keys.locator('td[data-label=Status]').innerText(), '500');
    assert.equal(await keys.locator('td[data-label=Count]').innerText(), '2');
    assert.doesNotMatch(await keys.locator('td.pattern').innerText(), /1042|2077/);
    const models = page.locator('#api-failures tbody tr', { hasText: '/v1/models' });
    assert.equal(await models.count(), 1, 'the successful call is not a failure');
    assert.equal(await models.locator('td[data-label=Status]').innerText(), '401');
    assert.equal(await models.locator('td[data-label=Count]').innerText(), '1');
    await keys.locator('button', { hasText: '2 students' }).click();
    assert.deepEqual((await page.locator('#api-failures ul.affected-students a').allInnerTexts()).sort(), ['Ada Lovelace', 'Alan Turing']);
    assert.ok((await paintedPixels(keys.locator('td.trend canvas'))) > 0, 'the trend chart is blank');
  });

  it('shows how many students reached each step, who went back, and draws it', async () => {
    const rows = page.locator('#step-funnel tbody tr');
    await rows.nth(3).waitFor();
    const steps = await rows.evaluateAll((all: Array<{ querySelector(selector: string): { textContent: string | null } | null }>) =>
      all.map((row) => ['th', 'td[data-label=Reached]', 'td[data-label="Went back"]'].map((cell) => row.querySelector(cell)?.textContent ?? '')),
    );
    assert.deepEqual(steps, [
      ['0 · Connect Accounts', '5', '0'],
      ['1 · Choose Use Case', '5', '0'],
      ['2 · Provision Services', '4', '1'],
      ['3 · Build Agent', '3', '0'],
    ]);
    assert.match(await page.locator('#step-funnel h3').innerText(), /5 students navigated/);
    const chart = page.locator('#step-funnel .chart canvas');
    await chart.waitFor();
    assert.ok((await paintedPixels(chart)) > 0, 'the funnel chart is blank');
    assert.match((await page.locator('#step-funnel .chart').getAttribute('aria-label')) ?? '', /2 · Provision Services, 4/);
  });

  it('downloads the window’s errors as a CSV, one row per error event', async () => {
    const { download: saved, text } = await download(page, page.locator('#error-patterns .export').getByRole('link', { name: 'CSV', exact: true }));
    assert.match(saved.suggestedFilename(), /^session-log-\d{8}-\d{6}\.csv$/);
    // Read back as a spreadsheet would: a header row, then one record per event.
    const records = parse<Record<string, string>>(text, { columns: true });
    const errors = await eventsOf('eventType=error');
    assert.deepEqual(records.map((row) => Number(row.event_id)).sort((a, b) => a - b), errors.map((event) => event.event_id).sort((a, b) => a - b));
    assert.ok(records.every((row) => row.event_type === 'error'));
    assert.deepEqual(records.filter((row) => row.session_token === 'ws_grace').map((row) => row.student_email), ['grace@workshop.example.edu', 'grace@workshop.example.edu']);
    const patterns = new Set(records.map((row) => row.error_pattern));
    assert.equal(patterns.size, 2, [...patterns].join(' | '));
    assert.ok(patterns.has(await errorRow('openai_validation_failed').locator('td.pattern').innerText()), 'the CSV groups the errors as the table does');
  });

  it('narrows every report to one workshop run, kept in the URL', async () => {
    await page.selectOption('select[name=window]', '1h');
    await page.fill('textarea[name=filters]', 'workshopId=spring-26');
    await page.click('form[aria-label="Analytics window"] button[type=submit]');
    await page.waitForURL(/window=1h/);
    assert.match(page.url(), /filters=workshopId%3Dspring-26/);
    const openai = errorRow('openai_validation_failed');
    await openai.locator('td[data-label=Count]', { hasText: /^2$/ }).waitFor();
    assert.equal(await openai.locator('td[data-label=Students]').innerText(), '2 students');
    assert.equal(await errorRow('twilio_function_deploy_failed').locator('td[data-label=Count]').innerText(), '1');
    await page.locator('#step-funnel h3', { hasText: '3 students navigated' }).waitFor();
    await page.reload();
    await errorRow('openai_validation_failed').locator('td[data-label=Count]', { hasText: /^2$/ }).waitFor();
    assert.equal(await page.inputValue('textarea[name=filters]'), 'workshopId=spring-26');
    assert.equal(await page.inputValue('select[name=window]'), '1h');
  });

  it('exports a run’s errors as the report counts them: every error of the run’s students', async () => {
    const exports = page.locator('#error-patterns .export');
    assert.match(await exports.innerText(), /Export these errors/);
    const { text } = await download(page, exports.getByRole('link', { name: 'CSV', exact: true }));
    const records = parse<Record<string, string>>(text, { columns: true });
    const types = records.map((row) => row.errorType).sort();
    assert.deepEqual(types, ['openai_validation_failed', 'openai_validation_failed', 'twilio_function_deploy_failed'], 'the 2 + 1 errors the filtered table shows');
  });

  it('downloads one student’s timeline as JSON', async () => {
    await page.goto(`${app.url}/?view=student&session=ws_grace`);
    const { download: saved, text } = await download(page, page.locator('.student .export').getByRole('link', { name: 'JSON', exact: true }));
    assert.match(saved.suggestedFilename(), /\.json$/);
    const exported = JSON.parse(text) as Array<{ event_id: number; session_token: string }>;
    const stored = await eventsOf('sessionToken=ws_grace&order=asc');
    assert.deepEqual(exported.map((event) => event.event_id), stored.map((event) => event.event_id));
    assert.ok(exported.every((event) => event.session_token === 'ws_grace'));
  });

  it('downloads a search’s results, every page of them, as NDJSON', async () => {
    await page.goto(`${app.url}/?view=search&eventType=api_call`);
    await page.locator('.event-list li').first().waitFor();
    const { text } = await download(page, page.locator('.export').getByRole('link', { name: 'NDJSON', exact: true }));
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as { event_id: number; event_type: string });
    const stored = await eventsOf('eventType=api_call&order=asc');
    assert.deepEqual(lines.map((event) => event.event_id), stored.map((event) => event.event_id));
    assert.equal(lines.length, 4);
  });
});
