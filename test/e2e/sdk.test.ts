// The browser SDK in real Chromium, loaded by script tag from the service into a
// workshop page on another origin, sending to the real service on SQLite.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { StoredEvent } from '../../src/storage/types.js';
import { browserUnavailable, launchChromium } from '../helpers/browser.js';
import { cleanUpDatabases, ENGINES } from '../helpers/engines.js';
import { startPageServer, type PageServer } from '../helpers/page-server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { readPage, startApp, type RunningApp } from '../helpers/test-app.js';

const STEPS = 'Connect Accounts,Choose Use Case,Provision Services,Build Agent';
const sqlite = ENGINES.find((engine) => engine.name === 'sqlite');

describe('browser SDK in Chromium', { skip: browserUnavailable() ?? false }, () => {
  let app: RunningApp;
  let site: PageServer;
  let browser: Browser;

  before(async () => {
    if (sqlite === undefined) throw new Error('no SQLite engine');
    app = await startApp(await sqlite.createDatabase());
    site = await startPageServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await app?.close();
    await cleanUpDatabases();
  });

  /** A page of the workshop site with the SDK's script tag carrying `attributes`, and `more` after it. */
  async function openPage(path: string, attributes: string, more = ''): Promise<Page> {
    site.set(path, `<script src="${app.url}/sdk.js" ${attributes}></script>${more}`);
    const page = await browser.newPage();
    await page.goto(site.origin + path);
    return page;
  }

  /** The session's events, oldest first, once at least `count` have arrived. */
  async function eventsOf(sessionToken: string, count: number): Promise<StoredEvent[]> {
    for (let waited = 0; ; waited += 100) {
      const page = await readPage(await app.get(`sessionToken=${encodeURIComponent(sessionToken)}&order=asc&limit=1000`));
      if (page.count >= count || waited > 15_000) return page.events;
      await sleep(100);
    }
  }

  /** An ingest endpoint whose port answers nothing until `bringBack()` puts the service behind it. */
  async function downEndpoint(): Promise<{ endpoint: string; bringBack: () => Promise<TcpProxy> }> {
    const target = new URL(app.url);
    const proxy = await TcpProxy.start(target.hostname, Number(target.port));
    await proxy.stop();
    return {
      endpoint: `http://127.0.0.1:${proxy.port}/api/session-log`,
      bringBack: () => TcpProxy.start(target.hostname, Number(target.port), proxy.port),
    };
  }

  const tokenOf = (page: Page) => page.evaluate(() => (globalThis as unknown as SdkWindow).sessionLog.getSessionToken());

  it('sends the spec’s example calls with the context the spec shows', async () => {
    const page = await openPage('/spec.html', `data-session-log data-steps="${STEPS}" data-student-email="Ada@Example.edu"`);
    await page.evaluate(() => {
      const w = globalThis as unknown as SdkWindow;
      // The spec's "Client-Side Logging Functions" examples, verbatim.
      w.logSessionEvent('custom_event', { customField: 'value', anotherField: 123 });
      w.logNavigation(2, 3); // From step 2 to step 3
      w.logError('deployment_failed', 'Function deployment timeout', { functionName: 'voice-handler', timeout: 30000 });
      w.logAction('phone_number_selected', { phoneNumber: '+15555551234', provider: 'twilio' });
      w.logApiCall('/api/deploy-function', 'POST', 200, { functionName: 'voice-handler', deploymentTime: 1234 });
      w.logStateChange('servicesReady', false, true);
      return w.sessionLog.flush();
    });
    const token = await tokenOf(page);
    assert.match(token, /^ws_[0-9a-f]{32}$/);
    const events = await eventsOf(token, 6);
    assert.deepEqual(events.map((e) => e.event_type), ['custom_event', 'navigation', 'error', 'action', 'api_call', 'state_change']);
    assert.deepEqual(events.map((e) => e.seq), [0, 1, 2, 3, 4, 5]);
    assert.ok(events.every((e) => e.student_email === 'ada@example.edu'));
    const [custom, navigation, error, action, apiCall, stateChange] = events.map((e) => e.event_data);
    const userAgent = await page.evaluate(() => (globalThis as unknown as BrowserGlobals).navigator.userAgent);
    assert.equal(custom?.customField, 'value');
    assert.equal(custom?.userAgent, userAgent);
    assert.ok(!Number.isNaN(Date.parse(String(custom?.timestamp))));
    assert.deepEqual(
      { ...navigation, userAgent: undefined, timestamp: undefined },
      { from: 2, to: 3, fromStepName: 'Provision Services', toStepName: 'Build Agent', currentStep: 3, stepName: 'Build Agent', userAgent: undefined, timestamp: undefined },
    );
    assert.equal(error?.errorType, 'deployment_failed');
    assert.equal(error?.errorMessage, 'Function deployment timeout');
    assert.equal(error?.functionName, 'voice-handler');
    assert.equal(error?.stepName, 'Build Agent');
    assert.equal(action?.actionName, 'phone_number_selected');
    assert.equal(action?.provider, 'twilio');
    assert.deepEqual([apiCall?.endpoint, apiCall?.method, apiCall?.status, apiCall?.success], ['/api/deploy-function', 'POST', 200, true]);
    assert.deepEqual([stateChange?.stateName, stateChange?.oldValue, stateChange?.newValue], ['servicesReady', false, true]);
    await page.close();
  });

  it('sends 200 calls made in a burst in a handful of requests', async () => {
    const page = await openPage('/burst.html', 'data-session-log');
    const postsBefore = app.ingestRequests();
    await page.evaluate(() => {
      for (let i = 0; i < 200; i++) (globalThis as unknown as SdkWindow).logAction('clicked', { i });
    });
    const events = await eventsOf(await tokenOf(page), 200);
    assert.equal(events.length, 200);
    assert.deepEqual(events.map((e) => e.event_data.i), Array.from({ length: 200 }, (_, i) => i));
    const posts = app.ingestRequests() - postsBefore;
    assert.ok(posts >= 1 && posts <= 5, `${posts} requests for 200 events`);
    await page.close();
  });

  it('delivers the events logged just before navigating away or closing the tab', async () => {
    site.set('/next.html', '<title>next</title>');
    const page = await openPage('/leave.html', 'data-session-log');
    const token = await tokenOf(page);
    await page.evaluate((next) => {
      const w = globalThis as unknown as SdkWindow;
      w.logAction('submit_clicked', { last: 'before navigation' });
      (globalThis as unknown as BrowserGlobals).location.href = next;
    }, `${site.origin}/next.html`);
    assert.equal((await eventsOf(token, 1))[0]?.event_data.last, 'before navigation');

    const closing = await openPage('/close.html', 'data-session-log');
    const closingToken = await tokenOf(closing);
    await closing.evaluate(() => (globalThis as unknown as SdkWindow).logAction('tab_closed', { last: 'before close' }));
    await closing.close({ runBeforeUnload: true });
    assert.equal((await eventsOf(closingToken, 1))[0]?.event_data.last, 'before close');
    await page.close();
  });

  it('keeps events while the service is down and sends each once when it is back', async () => {
    const { endpoint, bringBack } = await downEndpoint();
    const page = await openPage('/offline.html', `data-session-log data-endpoint="${endpoint}"`);
    const token = await tokenOf(page);
    await page.evaluate(() => {
      const w = globalThis as unknown as SdkWindow;
      for (let i = 0; i < 30; i++) w.logAction('offline_click', { i });
      return w.sessionLog.flush();
    });
    // A reload while still down: the next page load finds the events left in storage.
    await page.reload();
    await page.evaluate(() => (globalThis as unknown as SdkWindow).logAction('after_reload', {}));
    const back = await bringBack();
    try {
      await page.evaluate(() => (globalThis as unknown as SdkWindow).sessionLog.flush());
      const events = await eventsOf(token, 31);
      assert.equal(events.length, 31);
      assert.deepEqual(events.map((e) => e.seq).sort((a, b) => (a ?? 0) - (b ?? 0)), Array.from({ length: 31 }, (_, i) => i));
      // Later sends (beacons on hide, retries) must not store anything twice.
      await page.close({ runBeforeUnload: true });
      await sleep(500);
      assert.equal((await readPage(await app.get(`sessionToken=${token}&limit=1000`))).count, 31);
    } finally {
      await back.stop();
    }
  });

  it('past maxQueued drops the oldest, says how many once it can, and keeps the rest', async () => {
    const { endpoint, bringBack } = await downEndpoint();
    const page = await openPage('/overflow.html', `data-session-log data-endpoint="${endpoint}" data-max-queued="20"`);
    let posts = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === endpoint) posts += 1;
    });
    const token = await tokenOf(page);
    await page.evaluate(() => {
      const w = globalThis as unknown as SdkWindow;
      for (let i = 0; i < 30; i++) w.logAction('overflow_click', { i });
      // Retries while the queue is full must not turn queued events into reports.
      return w.sessionLog.flush().then(() => w.sessionLog.flush());
    });
    const back = await bringBack();
    try {
      await page.evaluate(() => (globalThis as unknown as SdkWindow).sessionLog.flush());
      const events = await eventsOf(token, 21);
      const clicks = events.filter((e) => e.event_type === 'action').map((e) => e.event_data.i);
      assert.deepEqual(clicks, Array.from({ length: 20 }, (_, n) => n + 10));
      assert.deepEqual(events.filter((e) => e.event_type === 'events_dropped').map((e) => e.event_data.count), [10]);
      assert.ok(posts < 10, `${posts} POSTs`);
    } finally {
      await page.close();
      await back.stop();
    }
  });

  it('waits as long as a busy service asks, however many events pile up meanwhile', async () => {
    const endpoint = `${site.origin}/busy/session-log`;
    const page = await openPage('/backoff.html', `data-session-log data-endpoint="${endpoint}"`);
    const logBurst = (from: number) =>
      page.evaluate((start) => {
        for (let i = start; i < start + 60; i++) (globalThis as unknown as SdkWindow).logAction('busy_click', { i });
      }, from);
    await logBurst(0);
    for (let waited = 0; site.posts('/busy/session-log') === 0 && waited < 5000; waited += 50) await sleep(50);
    await sleep(300);
    await logBurst(60);
    await sleep(500);
    // One batch was refused with Retry-After: 30; the next burst waits for it, as it did.
    assert.equal(site.posts('/busy/session-log'), 1);
    await page.close();
  });

  it('scrubs secrets before they leave the browser', async () => {
    const page = await openPage('/secrets.html', 'data-session-log');
    const bodiesBefore = app.ingestBodies().length;
    const secrets = {
      openai: 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123',
      bearer: 'Bearer abcdefghijklmnop.qrstuvwx',
      jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl',
      twilio: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:b1b2b3b4b5b6b7b8b9b0b1b2b3b4b5b6',
    };
    await page.evaluate((s) => {
      const w = globalThis as unknown as SdkWindow;
      w.logError('openai_validation_failed', `Incorrect API key provided: ${s.openai}`, {
        headers: { Authorization: s.bearer },
        apiKey: 'plain-looking-value',
        password: 'hunter2',
        note: `token ${s.jwt} and ${s.twilio}`,
      });
      return w.sessionLog.flush();
    }, secrets);
    const [event] = await eventsOf(await tokenOf(page), 1);
    const data = event?.event_data ?? {};
    assert.equal(data.errorMessage, 'Incorrect API key provided: [redacted]');
    assert.deepEqual(data.headers, { Authorization: '[redacted]' });
    assert.equal(data.apiKey, '[redacted]');
    assert.equal(data.password, '[redacted]');
    assert.equal(data.note, 'token [redacted] and ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:[redacted]');
    const sent = app.ingestBodies().slice(bodiesBefore).join('\n');
    assert.ok(sent.includes('openai_validation_failed'), 'the error event was sent');
    for (const secret of [secrets.openai, 'abcdefghijklmnop', secrets.jwt, 'b1b2b3b4b5b6b7b8', 'hunter2', 'plain-looking-value']) {
      assert.ok(!sent.includes(secret), `${secret} left the browser`);
    }
    await page.close();
  });

  it('captures the page’s own errors and fetches only when asked, each on its own', async () => {
    const run = async (path: string, capture: string, expected: number) => {
      const page = await openPage(path, 'data-session-log', capture);
      await page.evaluate(async () => {
        setTimeout(() => {
          throw new Error('boom in the workshop page');
        });
        void Promise.reject(new Error('rejected in the workshop page'));
        await fetch('/api/steps/3?key=sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123', { method: 'post', body: '{"secret":"body"}' });
        await fetch('/missing');
        (globalThis as unknown as SdkWindow).logAction('marker', {});
        await new Promise((resolve) => setTimeout(resolve, 50));
        return (globalThis as unknown as SdkWindow).sessionLog.flush();
      });
      const token = await tokenOf(page);
      await page.close();
      return eventsOf(token, expected);
    };

    const plain = await run('/no-capture.html', '', 1);
    assert.deepEqual(plain.map((e) => e.event_type), ['action']);

    const captured = await run('/capture.html', `<script src="${app.url}/sdk-capture.js" data-errors data-fetch></script>`, 5);
    const errors = captured.filter((e) => e.event_type === 'error').map((e) => e.event_data);
    assert.deepEqual(errors.map((e) => e.errorType).sort(), ['uncaught_error', 'unhandled_rejection']);
    assert.ok(errors.some((e) => String(e.errorMessage).includes('boom in the workshop page')));
    assert.ok(errors.some((e) => e.errorMessage === 'rejected in the workshop page'));
    const calls = captured.filter((e) => e.event_type === 'api_call').map((e) => e.event_data);
    assert.deepEqual(
      calls.map((c) => [c.endpoint, c.method, c.status, c.success]),
      [
        [`${site.origin}/api/steps/3`, 'POST', 200, true],
        [`${site.origin}/missing`, 'GET', 404, false],
      ],
    );
    assert.ok(calls.every((c) => typeof c.durationMs === 'number' && !JSON.stringify(c).includes('secret')));

    const errorsOnly = await run('/errors-only.html', `<script src="${app.url}/sdk-capture.js" data-errors></script>`, 3);
    assert.deepEqual(errorsOnly.map((e) => e.event_type).sort(), ['action', 'error', 'error']);
  });

  it('neither throws nor sends garbage when called with bad arguments', async () => {
    const page = await openPage('/bad.html', 'data-session-log');
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(app.url)) statuses.push(response.status());
    });
    await page.evaluate('window.failingStep = { currentStep: () => workshop.step }');
    const thrown = await page.evaluate(() => {
      // Untyped on purpose: these are the calls a careless page makes.
      const w = globalThis as unknown as Record<'logSessionEvent' | 'logError' | 'logNavigation' | 'logStateChange', (...args: unknown[]) => void> & SdkWindow;
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const calls = [
        () => w.logSessionEvent(123, { a: 1 }),
        () => w.logSessionEvent('x'.repeat(51), {}),
        () => w.logSessionEvent('cyclic', cyclic),
        () => w.logError(undefined, undefined, 'not an object'),
        () => w.logNavigation('a', { b: 1 }),
        () => w.logStateChange(),
        () => w.logSessionEvent('nul', { text: 'a\u0000b', lone: '\ud800' }),
        () => w.sessionLog.identify('not an email'),
        () => w.sessionLog.identify('ada@example.edu', 'Ada \ud83d'),
        // Details whose reading throws (a getter, a revoked proxy): the helpers read them inside their guard.
        () => w.logError('e', 'm', Object.defineProperty({}, 'x', { enumerable: true, get() { throw new Error('boom'); } })),
        () => {
          const revocable = Proxy.revocable({}, {});
          revocable.revoke();
          w.logAction('a', revocable.proxy);
        },
        // A step reader that fails (the page's state is not there yet), defined by the page below.
        () => w.sessionLog.init((w as unknown as { failingStep: object }).failingStep),
      ];
      const thrown: string[] = [];
      calls.forEach((call, i) => {
        try {
          call();
        } catch (error) {
          thrown.push(`call ${i}: ${String(error)}`);
        }
      });
      return thrown;
    });
    assert.deepEqual(thrown, []);
    await page.evaluate(() => {
      (globalThis as unknown as SdkWindow).logAction('after_identify', {});
      return (globalThis as unknown as SdkWindow).sessionLog.flush();
    });
    const events = await eventsOf(await tokenOf(page), 5);
    assert.deepEqual(events.map((e) => e.event_type).sort(), ['action', 'error', 'navigation', 'nul', 'state_change']);
    assert.equal(events.find((e) => e.event_type === 'nul')?.event_data.text, 'a\ufffdb');
    // The valid email was taken, the name with a cut emoji was not; a failing currentStep cost nothing.
    assert.deepEqual([events.at(-1)?.student_email, events.at(-1)?.student_name], ['ada@example.edu', null]);
    assert.ok(statuses.length > 0 && statuses.every((status) => status === 200), `statuses ${statuses.join(',')}`);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    await page.close();
  });

  it('sets an event the service refuses apart, and stores the rest of its batch', async () => {
    const page = await openPage('/refused.html', 'data-session-log');
    const answered = app.ingestStatuses().length;
    await page.evaluate(() => {
      const w = globalThis as unknown as SdkWindow;
      for (let i = 0; i < 100; i++) {
        // Event 37 is over the service's 64 KB, event 71 has a key the service refuses.
        const data = i === 37 ? { blob: 'x'.repeat(70_000) } : i === 71 ? (JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>) : {};
        w.logSessionEvent('batch_item', { ...data, i });
      }
      return w.sessionLog.flush();
    });
    const events = await eventsOf(await tokenOf(page), 98);
    const good = Array.from({ length: 100 }, (_, i) => i).filter((i) => i !== 37 && i !== 71);
    assert.deepEqual(events.map((e) => e.event_data.i).sort((a, b) => Number(a) - Number(b)), good);
    // Halving finds each bad event in a few requests per event (log2 of the batch), not one
    // request per event (101 here): 29 when every answer has come.
    const statuses = app.ingestStatuses().slice(answered);
    assert.ok(statuses.includes(413) && statuses.includes(400) && statuses.length <= 30, `statuses ${statuses.join(',')}`);
    await page.close();
  });

  it('never logs its own requests as the page’s, wherever they are sent', async () => {
    const endpoint = `${app.url}/api/session-log`;
    const page = await openPage('/own-endpoint.html', `data-session-log data-endpoint="${endpoint}"`, `<script src="${app.url}/sdk-capture.js" data-fetch></script>`);
    const postsBefore = app.ingestRequests();
    await page.evaluate(async () => {
      (globalThis as unknown as SdkWindow).logAction('one_click', {});
      await (globalThis as unknown as SdkWindow).sessionLog.flush();
      await new Promise((resolve) => setTimeout(resolve, 2500));
    });
    const events = await eventsOf(await tokenOf(page), 1);
    assert.deepEqual(events.map((e) => e.event_type), ['action']);
    assert.equal(app.ingestRequests() - postsBefore, 1);
    await page.close();
  });

  it('never logs its own requests after init() moves them to another endpoint either', async () => {
    const page = await openPage('/moved-endpoint.html', 'data-session-log', `<script src="${app.url}/sdk-capture.js" data-fetch></script>`);
    const moved = `${app.url.replace('127.0.0.1', 'localhost')}/api/session-log`;
    const postsBefore = app.ingestRequests();
    const hostsBefore = app.ingestHosts().length;
    await page.evaluate(async (endpoint) => {
      const w = globalThis as unknown as SdkWindow & { sessionLog: { init(options: { endpoint: string }): void } };
      w.sessionLog.init({ endpoint });
      w.logAction('after_move', {});
      await w.sessionLog.flush();
      await new Promise((resolve) => setTimeout(resolve, 2500));
    }, moved);
    const events = await eventsOf(await tokenOf(page), 1);
    assert.deepEqual(events.map((e) => e.event_type), ['action']);
    assert.equal(app.ingestRequests() - postsBefore, 1);
    // And it went to the endpoint init() gave, not to the first one.
    assert.deepEqual(app.ingestHosts().slice(hostsBefore), [new URL(moved).host]);
    await page.close();
  });

  it('runs as an ES module from its package', async () => {
    site.setScript('/sdk/index.js', readFileSync(fileURLToPath(import.meta.resolve('@session-log/browser')), 'utf8'));
    site.set(
      '/esm.html',
      `<script type="module">
        import { init, logNavigation, getSessionToken, flush } from '/sdk/index.js';
        // A page's own ids as numbers and lists, as careless code passes them: taken as their text.
        init({ endpoint: '${app.url}/api/session-log', steps: ['Intro', 'Setup'], currentStep: () => 1, sessionToken: 4242, studentEmail: ['ada@example.edu'] });
        logNavigation(0, 1);
        window.done = flush().then(() => getSessionToken());
      </script>`,
    );
    const page = await browser.newPage();
    await page.goto(`${site.origin}/esm.html`);
    const token = await page.evaluate(() => (globalThis as unknown as { done: Promise<string> }).done);
    assert.equal(token, '4242');
    const [event] = await eventsOf(token, 1);
    assert.equal(event?.event_data.toStepName, 'Setup');
    assert.equal(event?.event_data.stepName, 'Setup');
    assert.equal(event?.student_email, 'ada@example.edu');
    await page.close();
  });
});

/** The few browser globals these tests touch (the test files are type-checked without the DOM library). */
interface BrowserGlobals {
  navigator: { userAgent: string };
  location: { href: string };
}

/** What the script tag defines on window. */
interface SdkWindow {
  logSessionEvent(eventType: string, eventData: Record<string, unknown>): void;
  logNavigation(from: number, to: number): void;
  logError(errorType: string, errorMessage: string, errorDetails?: Record<string, unknown>): void;
  logAction(actionName: string, actionDetails?: Record<string, unknown>): void;
  logApiCall(endpoint: string, method: string, status: number, details?: Record<string, unknown>): void;
  logStateChange(stateName: string, oldValue: unknown, newValue: unknown): void;
  sessionLog: { getSessionToken(): string; flush(): Promise<void>; identify(email: string, name?: string): void; init(options: object): void };
}
