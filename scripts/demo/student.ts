// What each kind of student does, moment by moment. Times are in workshop seconds: the
// simulation's speed divides them.
import type { Random } from './random.js';
import type { StudentRole } from './roster.js';
import type { SessionLogger } from './session-logger.js';
import { connectAccounts, deployVoiceFunction, fillerMoment, LAST_STEP, provisionBeforeDeploy, STEP_NAMES, STEP_WEIGHTS, stepPageLoad, stepScript, type Moment } from './workshop.js';

export interface StudentRun {
  readonly page: SessionLogger;
  readonly random: Random;
  /** Workshop seconds this student takes for an average step. */
  readonly pace: number;
  /** Workshop seconds between two things they do on a step: [min, max]. */
  readonly cadence: readonly [number, number];
  /** Waits `seconds` of workshop time; false once the simulation stops. */
  wait(seconds: number): Promise<boolean>;
  /** Workshop seconds since the class started. */
  now(): number;
  /** Whether each step's page logs its fetches as it opens (stepPageLoad): bursts at step changes. */
  readonly logsPageLoads?: boolean;
}

const OPENAI_KEY_ERROR = 'Incorrect API key provided: sk-proj-****abcd';
const TWILIO_DEPLOY_ERROR = 'Twilio account not authorized for Functions';
/** The error the stuck students of the demo keep hitting (the README's screenshots show it). */
export const TWILIO_DEPLOY_ERROR_TYPE = 'twilio_function_deploy_failed';
const HELP_MESSAGE = "My agent doesn't answer the test call";
const MARKUP_INPUT = '<img src=x onerror=alert(1)>';

/** Share of flaky API calls that fail with a 500 or 502 before succeeding on retry. */
const FLAKY_FAILURE_RATE = 0.08;
const OPENAI_RECOVERY_SECONDS = 90;

/**
 * A student's seconds per step, and between two things they do. The students the
 * instructor must notice are quick ones, so that they show up within the demo's first minute.
 */
export function paceFor(role: StudentRole, random: Random): Pick<StudentRun, 'pace' | 'cadence'> {
  if (role === 'asks_for_help') return { pace: 10, cadence: [2, 4] };
  if (role === 'twilio_deploy_forbidden') return { pace: random.between(12, 15), cadence: [2, 4] };
  if (role === 'markup_in_error') return { pace: random.between(18, 24), cadence: [3, 8] };
  return { pace: random.between(20, 60), cadence: [3, 8] };
}

const BEHAVIOURS: Record<StudentRole, (run: StudentRun) => Promise<void>> = {
  progressing: (run) => progress(run, 0),
  anonymous: (run) => progress(run, 0),
  markup_in_error: (run) => progress(run, 0, { 1: [markupEchoedInError()] }),
  openai_key_invalid: fightOpenAiKey,
  twilio_deploy_forbidden: blockedOnDeploy,
  goes_idle: goIdleOnStepOne,
  asks_for_help: askForHelpOnStepThree,
};

/** The student opens the workshop page (the class arrives over a few seconds) and does what their role says. */
export async function runStudent(role: StudentRole, run: StudentRun): Promise<void> {
  if (!(await run.wait(run.random.between(0, 5)))) return;
  arrive(run, null, 0);
  await BEHAVIOURS[role](run);
}

/** From the start of `step` to the end of the workshop; `extra` moments come first on their step. */
async function progress(run: StudentRun, step: number, extra: Partial<Record<number, Moment[]>> = {}): Promise<void> {
  for (let current = step; ; current++) {
    if (!(await workOn(run, current, [...(extra[current] ?? []), ...stepScript(current, run.random)]))) return;
    if (current === LAST_STEP) break;
    if (!(await moveOn(run, current))) return;
  }
  run.page.action('workshop_completed', { stepsCompleted: STEP_NAMES.length, minutes: Math.round(run.now() / 60) });
}

/**
 * Spends about the student's pace (weighted by the step) on `step`: a moment at the
 * student's cadence (every 3–8 s for most), the step's own moments in order with hints
 * and docs in between, and the remaining ones in quick succession if time is up first.
 */
async function workOn(run: StudentRun, step: number, moments: Moment[]): Promise<boolean> {
  const dwell = run.pace * (STEP_WEIGHTS[step] ?? 1) * run.random.between(0.8, 1.2);
  let spent = 0;
  for (let next = 0; spent < dwell || next < moments.length; ) {
    const gap = spent < dwell ? nextGap(run) : run.random.between(1, 2);
    spent += gap;
    if (!(await run.wait(gap))) return false;
    const scripted = next < moments.length && (spent >= dwell / 2 || run.random.chance(0.6));
    const moment = scripted ? moments[next++] : fillerMoment(step, run.random);
    if (moment !== undefined && !(await perform(run, moment))) return false;
  }
  return true;
}

/** The student clicks Next a moment after finishing `step`. */
async function moveOn(run: StudentRun, step: number): Promise<boolean> {
  if (!(await run.wait(run.random.between(1, 3)))) return false;
  arrive(run, step, step + 1);
  return true;
}

/** On a step's page: its navigation, then the page's fetches if pages log them. */
function arrive(run: StudentRun, from: number | null, to: number): void {
  run.page.navigate(from, to);
  if (run.logsPageLoads !== true) return;
  for (const call of stepPageLoad(to, run.random)) run.page.apiCall(call.endpoint, call.method, 200, { durationMs: call.durationMs });
}

const nextGap = (run: StudentRun): number => run.random.between(...run.cadence);

/** Performs moments one after the other, at the student's cadence. */
async function performInTurn(run: StudentRun, moments: readonly Moment[]): Promise<boolean> {
  for (const moment of moments) {
    if (!(await run.wait(nextGap(run))) || !(await perform(run, moment))) return false;
  }
  return true;
}

/** A moment's API call (failing with a 500 or 502 first, now and then, and retried), then what follows it. */
async function perform(run: StudentRun, moment: Moment): Promise<boolean> {
  const { call } = moment;
  if (call !== undefined) {
    if (call.flaky === true && run.random.chance(FLAKY_FAILURE_RATE)) {
      const status = run.random.pick([500, 502]);
      run.page.apiCall(call.endpoint, call.method, status, { ...call.details, durationMs: status === 502 ? run.random.int(10_000, 30_000) : run.random.int(50, 400), retrying: true });
      if (!(await run.wait(run.random.between(1, 3)))) return false;
    }
    run.page.apiCall(call.endpoint, call.method, 200, { ...call.details, durationMs: call.durationMs });
  }
  moment.after?.(run.page);
  return true;
}

function markupEchoedInError(): Moment {
  return {
    after(page) {
      page.action('custom_use_case_entered', { description: MARKUP_INPUT });
      page.error('use_case_validation_failed', `Use case description was rejected: ${MARKUP_INPUT}`, 422, { field: 'customUseCase', input: MARKUP_INPUT });
    },
  };
}

/** Step 0 with a wrong OpenAI key: 401s for about 90 s, then the right key and on with the workshop. */
async function fightOpenAiKey(run: StudentRun): Promise<void> {
  const recoverAt = run.now() + OPENAI_RECOVERY_SECONDS * run.random.between(0.9, 1.1);
  if (!(await run.wait(run.random.between(3, 6)))) return;
  let attempts = 0;
  while (run.now() < recoverAt) {
    attempts += 1;
    run.page.action('openai_key_entered', { keyFormat: 'sk-proj', attempt: attempts });
    run.page.apiCall('/v1/models', 'GET', 401, { durationMs: run.random.int(150, 400) });
    run.page.error('openai_validation_failed', OPENAI_KEY_ERROR, 401, { attempt: attempts });
    if (attempts === 1) run.page.stateChange('openaiKeyStatus', 'unchecked', 'invalid');
    if (!(await run.wait(Math.min(run.random.between(10, 22), Math.max(2, recoverAt - run.now()))))) return;
  }
  run.page.action('openai_key_entered', { keyFormat: 'sk-proj', attempt: attempts + 1 });
  run.page.apiCall('/v1/models', 'GET', 200, { durationMs: run.random.int(180, 650) });
  run.page.action('openai_connected', { validated: true, attempts: attempts + 1 });
  run.page.stateChange('openaiKeyStatus', 'invalid', 'valid');
  run.page.stateChange('openaiConnected', false, true);
  // The Twilio half of step 0 is still to do.
  if (!(await performInTurn(run, connectAccounts(run.random).slice(2))) || !(await moveOn(run, 0))) return;
  await progress(run, 1);
}

/** Through steps 0 and 1, then a Twilio account that may not deploy Functions: retries, reads, never gets past step 2. */
async function blockedOnDeploy(run: StudentRun): Promise<void> {
  for (const step of [0, 1]) {
    if (!(await workOn(run, step, stepScript(step, run.random))) || !(await moveOn(run, step))) return;
  }
  if (!(await performInTurn(run, provisionBeforeDeploy(run.random)))) return;
  for (let attempt = 1; ; attempt++) {
    if (!(await run.wait(nextGap(run)))) return;
    failDeploy(run, attempt);
    if (!(await run.wait(run.random.between(10, 25)))) return;
    if (!(await perform(run, whileBlockedOnDeploy(run.random, attempt)))) return;
  }
}

function failDeploy(run: StudentRun, attempt: number): void {
  const { endpoint, method, details } = deployVoiceFunction(run.random);
  run.page.stateChange('deployStatus', attempt === 1 ? 'idle' : 'failed', 'deploying');
  run.page.apiCall(endpoint, method, 403, { ...details, durationMs: run.random.int(400, 1200), attempt });
  run.page.error(TWILIO_DEPLOY_ERROR_TYPE, TWILIO_DEPLOY_ERROR, 403, { ...details, attempt });
  run.page.stateChange('deployStatus', 'deploying', 'failed');
}

function whileBlockedOnDeploy(random: Random, attempt: number): Moment {
  const moments: Moment[] = [
    { after: (page) => page.action('hint_opened', { hint: 'twilio-functions-permissions' }) },
    { after: (page) => page.action('docs_link_clicked', { url: 'https://www.twilio.com/docs/serverless/functions-assets/functions' }) },
    { after: (page) => page.action('twilio_console_opened', { section: 'functions' }) },
    {
      call: { endpoint: '/api/validate-twilio', method: 'POST', durationMs: random.int(250, 900) },
      after: (page) => page.action('twilio_credentials_rechecked', { valid: true }),
    },
    { after: (page) => page.stateChange('deployAttempts', attempt - 1, attempt) },
  ];
  return random.pick(moments);
}

/** Steps 0 and 1 at their pace, one moment on step 1, then nothing more: the laptop is closed. */
async function goIdleOnStepOne(run: StudentRun): Promise<void> {
  if (!(await workOn(run, 0, stepScript(0, run.random))) || !(await moveOn(run, 0))) return;
  await performInTurn(run, stepScript(1, run.random).slice(0, 1));
}

/** Steps 0 to 2, then on step 3 asks for help and stays there, tinkering while waiting. */
async function askForHelpOnStepThree(run: StudentRun): Promise<void> {
  for (const step of [0, 1, 2]) {
    if (!(await workOn(run, step, stepScript(step, run.random))) || !(await moveOn(run, step))) return;
  }
  if (!(await performInTurn(run, stepScript(3, run.random).slice(0, 1)))) return;
  run.page.log('help_request', { message: HELP_MESSAGE });
  while (await run.wait(run.random.between(15, 35))) {
    if (!(await perform(run, whileWaitingForHelp(run.random)))) return;
  }
}

function whileWaitingForHelp(random: Random): Moment {
  const moments: Moment[] = [
    { after: (page) => page.action('system_prompt_edited', { promptLength: random.int(300, 1500) }) },
    { after: (page) => page.action('hint_opened', { hint: 'agent-not-answering' }) },
    { call: { endpoint: '/api/agent', method: 'PUT', durationMs: random.int(120, 500) } },
    fillerMoment(3, random),
  ];
  return random.pick(moments);
}
