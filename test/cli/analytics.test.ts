// `session-log patterns` and `funnel`: the class-wide views as tables a person reads, and
// as the service's JSON for scripts.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runCli } from './helpers/cli.js';
import { startService } from './helpers/service.js';

const service = await startService();

const students = ['ada', 'grace', 'alan'].map((name) => ({ sessionToken: `ws_${name}`, studentEmail: `${name}@example.edu` }));
const [ada, grace, alan] = students as [(typeof students)[number], (typeof students)[number], (typeof students)[number]];
const navigate = (student: typeof ada, to: number) => ({ ...student, eventType: 'navigation', eventData: { from: to - 1, to, toStepName: `Step ${to}` } });
// The SDK puts the page's step on every event as currentStep.
const keyError = (student: typeof ada, project: number, currentStep: number) => ({
  ...student,
  eventType: 'error',
  eventData: { errorType: 'openai_validation_failed', errorMessage: `Project ${project} has no access to model gpt-4o`, currentStep },
});
const failedCall = (student: typeof ada, user: number) => ({ ...student, eventType: 'api_call', eventData: { method: 'POST', endpoint: `/v1/users/${user}/keys`, status: 401 } });

for (const student of students) await service.post([{ ...student, eventType: 'state_change', eventData: { workshopId: student === alan ? 'autumn-25' : 'spring-26' } }, navigate(student, 1)]);
await service.post([navigate(ada, 2), navigate(grace, 2), navigate(alan, 2), navigate(ada, 3)]);
await service.post([keyError(grace, 17, 2), keyError(alan, 4242, 2), keyError(ada, 99, 3)]);
await service.post([{ ...grace, eventType: 'error', eventData: { errorType: 'twilio_function_deploy_failed', errorMessage: 'Twilio account not authorized' } }]);
await service.post([failedCall(ada, 1), failedCall(grace, 2), { ...alan, eventType: 'api_call', eventData: { method: 'GET', endpoint: '/v1/models', status: 200 } }]);

/** The table's row whose text contains `needle`, split into its cells. */
function row(stdout: string, needle: string): string[] {
  const line = stdout.split('\n').find((each) => each.includes(needle));
  assert.ok(line !== undefined, `no row with ${needle} in:\n${stdout}`);
  return line.trim().split(/\s{2,}/);
}

await describe('session-log patterns and funnel', { concurrency: true, timeout: 60_000 }, () => {
  after(() => service.stop());

  it('patterns: one row per error pattern, most frequent first, with its students and steps', async () => {
    const { code, stdout, stderr } = await runCli(['patterns'], service.env);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^4 errors from \S+ to \S+, 2 patterns$/);
    assert.match(lines[1] ?? '', /^COUNT\s+STUDENTS\s+STEPS\s+PATTERN$/);
    const [count, studentCount, steps, pattern] = row(stdout, 'openai_validation_failed');
    assert.deepEqual([count, studentCount, steps], ['3', '3', '2 (2), 3 (1)']);
    assert.match(pattern ?? '', /^openai_validation_failed: Project \S+ has no access to model/);
    assert.ok(!(pattern ?? '').includes('4242'), 'the ids are normalised away');
    assert.deepEqual(row(stdout, 'twilio_function_deploy_failed').slice(0, 2), ['1', '1']);
  });

  it('patterns --api-calls: failed calls by method, endpoint and status', async () => {
    const { code, stdout } = await runCli(['patterns', '--api-calls'], service.env);
    assert.equal(code, 0);
    assert.match(stdout, /^2 failed API calls from \S+ to \S+, 1 group\n/);
    const [count, studentCount, , call] = row(stdout, '/v1/users/');
    assert.deepEqual([count, studentCount], ['2', '2']);
    assert.match(call ?? '', /^POST \/v1\/users\/\S+\/keys → 401$/);
  });

  it('patterns --data: one workshop run; --json: the service answer', async () => {
    const { code, stdout } = await runCli(['patterns', '--data', 'workshopId=spring-26', '--json', '--since', '1h'], service.env);
    assert.equal(code, 0);
    const answer = JSON.parse(stdout) as { totalErrors: number; patterns: Array<{ errorType: string; students: number }> };
    assert.equal(answer.totalErrors, 3);
    assert.equal(answer.patterns.find((each) => each.errorType === 'openai_validation_failed')?.students, 2);
  });

  it('funnel: a row per step, in order, with reached, times, left and went back', async () => {
    const { code, stdout, stderr } = await runCli(['funnel'], service.env);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^3 students from \S+ to \S+$/);
    assert.match(lines[1] ?? '', /^STEP\s+REACHED\s+MEDIAN\s+P90\s+LEFT HERE\s+WENT BACK\s+ON IT NOW$/);
    assert.deepEqual(
      lines.slice(2).map((line) => line.trim().split(/\s{2,}/)[0] + ' ' + line.trim().split(/\s{2,}/)[1]),
      ['1 Step 1 3', '2 Step 2 3', '3 Step 3 1'],
    );
  });

  it('funnel --json, one run', async () => {
    const { code, stdout } = await runCli(['funnel', '--json', '--data', 'workshopId=autumn-25'], service.env);
    assert.equal(code, 0);
    const funnel = JSON.parse(stdout) as { students: number; steps: Array<{ step: string; reached: number }> };
    assert.equal(funnel.students, 1);
    assert.deepEqual(funnel.steps.map((step) => [step.step, step.reached]), [['1', 1], ['2', 1]]);
  });

  it('exits 2 on a window the service refuses', async () => {
    const { code, stderr } = await runCli(['funnel', '--since', '1h', '--until', '2h'], service.env);
    assert.equal(code, 2);
    assert.match(stderr, /^session-log: 400 invalid_request: /);
  });
});
