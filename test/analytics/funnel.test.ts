// GET /api/analytics/funnel on both engines, against a small class computed by hand.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FunnelStep } from '../../src/analytics/analytics-types.js';
import { describeEachEngine } from '../helpers/each-engine.js';
import { insertAt, type PastEvent } from '../helpers/insert-at.js';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../helpers/test-app.js';

const STEPS = ['Connect Accounts', 'Choose Use Case', 'Provision Services', 'Build Agent'];
/** The class began an hour ago; idle means no event for 5 minutes (the default rule). */
const START = Date.now() - 60 * 60_000;
const at = (minute: number) => new Date(START + minute * 60_000);

function navigations(token: string, visits: Array<[step: number, minute: number]>, tag: string): PastEvent[] {
  return visits.map(([to, minute], i) => ({
    sessionToken: token,
    eventType: 'navigation',
    eventData: { from: visits[i - 1]?.[0] ?? to, to, toStepName: STEPS[to], run: tag },
    at: at(minute),
  }));
}

await describeEachEngine('step funnel', (engine) => {
  let app: RunningApp;
  const funnel = async (query = '') => {
    const response = await fetch(`${app.url}/api/analytics/funnel?${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as { students: number; steps: FunnelStep[] };
  };

  before(async () => {
    const database = await engine.createDatabase();
    const store = await database.openStore();
    await insertAt(database.url, [
      // Ada went straight through and left on step 3, 20 minutes ago.
      ...navigations('ws_ada', [[0, 0], [1, 10], [2, 30], [3, 40]], 'spring'),
      // Grace went back from step 2 to 1, returned to 2, and is still working there.
      ...navigations('ws_grace', [[0, 0], [1, 5], [2, 20], [1, 25], [2, 28]], 'spring'),
      { sessionToken: 'ws_grace', eventType: 'action', eventData: { actionName: 'typing', run: 'spring' }, at: at(58) },
      // Alan stopped on step 1, 40 minutes ago.
      ...navigations('ws_alan', [[0, 0], [1, 20]], 'spring'),
      // Another run's student, only there to be left out by the run's tag.
      ...navigations('ws_other', [[0, 0], [1, 1]], 'autumn'),
    ]);
    app = await startApp(database, { store });
  });
  after(() => app.close());

  it('counts, per step, who reached it, their median and p90 time, who left, went back or is there now', async () => {
    const result = await funnel(`data.run=spring&since=${encodeURIComponent(at(-1).toISOString())}`);
    assert.equal(result.students, 3);
    assert.deepEqual(result.steps, [
      // Per student: Ada 600 s, Grace 300 s, Alan 1200 s → nearest-rank median 600, p90 1200.
      { step: '0', stepName: 'Connect Accounts', reached: 3, medianSeconds: 600, p90Seconds: 1200, leftHere: 0, wentBack: 0, onStepNow: 0 },
      // Ada 1200 s; Grace 900 + 180 s (two stays) → 1080, 1200. Alan is still on it, idle: left here.
      { step: '1', stepName: 'Choose Use Case', reached: 3, medianSeconds: 1080, p90Seconds: 1200, leftHere: 1, wentBack: 0, onStepNow: 0 },
      // Ada 600 s, Grace 300 s before going back; Grace is on it now.
      { step: '2', stepName: 'Provision Services', reached: 2, medianSeconds: 300, p90Seconds: 600, leftHere: 0, wentBack: 1, onStepNow: 1 },
      // Nobody has finished step 3: no time yet; Ada left the workshop there.
      { step: '3', stepName: 'Build Agent', reached: 1, medianSeconds: null, p90Seconds: null, leftHere: 1, wentBack: 0, onStepNow: 0 },
    ]);
  });

  it('takes every run without a tag, and nothing outside the window', async () => {
    const all = await funnel();
    assert.equal(all.students, 4);
    assert.equal(all.steps.find((s) => s.step === '0')?.reached, 4);
    const before = await funnel(`until=${encodeURIComponent(at(-1).toISOString())}`);
    assert.deepEqual(before, { ...before, students: 0, steps: [] });
  });
});
