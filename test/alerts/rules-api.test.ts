// Alert rules through the API on each engine: create, list, change, delete, and what is refused.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { alertsApi } from '../helpers/alerts-api.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import type { TestDatabase } from '../helpers/engines.js';
import { startApp, type RunningApp } from '../helpers/test-app.js';

await describeEachEngine('alert rules API', (engine) => {
  let app: RunningApp;
  let api: ReturnType<typeof alertsApi>;
  let database: TestDatabase;
  before(async () => {
    database = await engine.createDatabase();
    app = await startApp(database, { webhooks: { allowPrivate: true } });
    api = alertsApi(app);
  });
  after(() => app.close());

  it('creates, lists, changes, disables and deletes a rule; the webhook secret is shown once', async () => {
    const created = await api.createRule({
      name: 'Server errors',
      kind: 'match',
      filters: { eventType: 'error', 'data.statusCode': 'gte:500' },
      webhookUrl: 'http://127.0.0.1:9/hook',
    });
    assert.match(created.webhookSecret ?? '', /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(
      { ...created.rule, createdAt: undefined, updatedAt: undefined, ruleId: undefined },
      {
        name: 'Server errors',
        kind: 'match',
        filters: { eventType: 'error', 'data.statusCode': 'gte:500' },
        minEvents: null,
        minStudents: null,
        windowMinutes: null,
        statuses: null,
        cooldownMinutes: 10,
        webhookUrl: 'http://127.0.0.1:9/hook',
        enabled: true,
        createdAt: undefined,
        updatedAt: undefined,
        ruleId: undefined,
      },
    );
    const id = created.rule.ruleId;
    const listed = (await api.call('GET', '/api/alerts/rules')).body.rules as Array<Record<string, unknown>>;
    assert.deepEqual(listed.map((rule) => rule.ruleId), [id]);
    assert.equal(JSON.stringify(listed).includes(created.webhookSecret!), false, 'the secret is never shown again');

    const disabled = await api.call('PATCH', `/api/alerts/rules/${id}`, { enabled: false, cooldownMinutes: 0 });
    assert.equal(disabled.status, 200);
    assert.deepEqual([(disabled.body.rule as Record<string, unknown>).enabled, (disabled.body.rule as Record<string, unknown>).cooldownMinutes], [false, 0]);
    assert.equal((await api.call('DELETE', `/api/alerts/rules/${id}`)).status, 200);
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const gone = await api.call(method, `/api/alerts/rules/${id}`, method === 'PATCH' ? { enabled: true } : undefined);
      assert.equal(gone.status, 404, method);
      assert.equal((gone.body.error as { code: string }).code, 'not_found');
    }
  });

  it('keeps class-wide and stuck rules with their own fields and defaults', async () => {
    const classWide = await api.createRule({
      name: 'Twilio broken for the class',
      kind: 'class_wide',
      filters: { eventType: 'error', 'data.errorType': 'twilio_function_deploy_failed' },
      minEvents: 5,
      minStudents: 5,
      windowMinutes: 10,
    });
    assert.deepEqual([classWide.rule.minEvents, classWide.rule.minStudents, classWide.rule.windowMinutes, classWide.webhookSecret], [5, 5, 10, null]);
    const stuck = await api.createRule({ name: 'Stuck', kind: 'stuck' });
    assert.deepEqual(stuck.rule.statuses, ['stuck', 'asked_for_help']);
  });

  it('refuses malformed rules with the API error shape, storing nothing', async () => {
    const before = ((await api.call('GET', '/api/alerts/rules')).body.rules as unknown[]).length;
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ name: 'x', kind: 'sometimes' }, 'invalid_request', /body\/kind/],
      [{ name: 'x', kind: 'match', filters: { 'data.status': 'gte:abc' } }, 'invalid_request', /body\/filters\/data\.status must be \[op:\]value/],
      [{ name: 'x', kind: 'match', filters: { sesionToken: 'ws_1' } }, 'invalid_request', /additional properties: sesionToken/],
      [{ name: 'x', kind: 'match', filters: { 'data.n': '1e400' } }, 'invalid_request', /beyond double precision/],
      [{ name: 'x', kind: 'class_wide', minEvents: 0, minStudents: 1, windowMinutes: 5 }, 'invalid_request', /body\/minEvents must be >= 1/],
      [{ name: 'x', kind: 'class_wide', minEvents: 3, minStudents: 1 }, 'invalid_request', /body\/windowMinutes is required for a class_wide rule/],
      [{ name: 'x', kind: 'match', minEvents: 3 }, 'invalid_request', /body\/minEvents applies to class_wide rules only/],
      [{ name: 'x', kind: 'match', cooldownMinutes: 2000 }, 'invalid_request', /body\/cooldownMinutes must be <= 1440/],
      [{ name: 'x', kind: 'match', webhookUrl: 'ftp://example.com/hook' }, 'invalid_request', /body\/webhookUrl must be an absolute http/],
      [{ name: '', kind: 'match' }, 'invalid_request', /body\/name/],
      [{ name: 'x', kind: 'stuck', statuses: ['idle'] }, 'invalid_request', /body\/statuses/],
    ];
    for (const [rule, code, message] of cases) {
      const { status, body } = await api.call('POST', '/api/alerts/rules', rule);
      assert.equal(status, 400, JSON.stringify(rule));
      assert.equal((body.error as { code: string }).code, code, JSON.stringify(body));
      assert.match((body.error as { message: string }).message, message);
    }
    assert.equal(((await api.call('GET', '/api/alerts/rules')).body.rules as unknown[]).length, before);
    assert.equal((await api.call('PATCH', '/api/alerts/rules/abc', { enabled: false })).status, 400);
    assert.equal((await api.call('POST', '/api/alerts/999999/acknowledge')).status, 404);
  });

  it('refuses a webhook that points at a private address unless allowed', async () => {
    const strict = await startApp(await engine.createDatabase());
    try {
      for (const url of ['http://127.0.0.1/hook', 'http://localhost:8080/hook', 'http://169.254.169.254/latest', 'http://10.1.2.3/x']) {
        const { status, body } = await alertsApi(strict).call('POST', '/api/alerts/rules', { name: 'x', kind: 'match', webhookUrl: url });
        assert.equal(status, 400, url);
        assert.equal((body.error as { code: string }).code, 'invalid_webhook');
      }
    } finally {
      await strict.close();
    }
  });

  it('shows the secret a change makes, and disables a rule without resolving its webhook again', async () => {
    const { rule } = await api.createRule({ name: 'later hooked', kind: 'match' });
    const hooked = await api.call('PATCH', `/api/alerts/rules/${rule.ruleId}`, { webhookUrl: 'http://127.0.0.1:9/hook' });
    assert.match(String(hooked.body.webhookSecret), /^whsec_/);
    const renamed = await api.call('PATCH', `/api/alerts/rules/${rule.ruleId}`, { name: 'hooked' });
    assert.equal(renamed.body.webhookSecret, null, 'an unchanged webhook keeps its secret, unshown');
    // An instance that refuses private addresses still disables it: the URL is not checked again.
    const strict = await startApp(database);
    try {
      const disabled = await alertsApi(strict).call('PATCH', `/api/alerts/rules/${rule.ruleId}`, { enabled: false });
      assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
    } finally {
      await strict.close();
    }
  });

  it('answers ids beyond any stored with a 400, not a database error', async () => {
    for (const path of ['/api/alerts/rules/99999999999999999999', '/api/alerts/deliveries?ruleId=99999999999999999999']) {
      assert.equal((await api.call('GET', path)).status, 400, path);
    }
    assert.equal((await api.call('POST', '/api/alerts/99999999999999999999/acknowledge')).status, 400);
  });

  it('needs instructor credentials', async () => {
    for (const [method, path] of [['GET', '/api/alerts/rules'], ['POST', '/api/alerts/rules'], ['GET', '/api/alerts'], ['GET', '/api/alerts/stream'], ['GET', '/api/alerts/deliveries']]) {
      assert.equal((await fetch(`${app.url}${path!}`, { method })).status, 401, `${method!} ${path!}`);
    }
  });
});
