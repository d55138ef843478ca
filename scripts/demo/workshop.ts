// The workshop the simulated class works through (a Twilio + OpenAI voice agent, as in
// the spec): its steps, and what a student's page logs on each of them.
import type { Random } from './random.js';
import type { SessionLogger } from './session-logger.js';

export const STEP_NAMES = ['Connect Accounts', 'Choose Use Case', 'Provision Services', 'Build Agent', 'Test Call', 'Deploy', 'Wrap Up'] as const;
export const LAST_STEP = STEP_NAMES.length - 1;

/** How long each step takes relative to a student's pace: provisioning and building are the slow ones. */
export const STEP_WEIGHTS: readonly number[] = [1, 0.7, 1.2, 1.3, 1, 1, 0.8];

/** An external call the workshop page makes and logs as an `api_call`. */
export interface ApiCall {
  endpoint: string;
  method: string;
  durationMs: number;
  details?: Record<string, unknown>;
  /** May fail with a 500 or 502 first and succeed when the page retries. */
  flaky?: boolean;
}

/** What a student does at one moment: an optional API call, then what the page logs after it. */
export interface Moment {
  call?: ApiCall;
  after?(page: SessionLogger): void;
}

export const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
];

const USE_CASES = ['restaurant_reservations', 'appointment_booking', 'customer_support', 'order_status', 'pharmacy_refills'];
const TOOLS = ['weather_lookup', 'book_appointment', 'check_order_status', 'transfer_to_human'];
const VOICES = ['alloy', 'echo', 'shimmer', 'verse', 'sage'];

export const phoneNumber = (random: Random): string => `+1555555${String(random.int(1000, 9999))}`;

/** The moments of a step that every student who gets through it goes through, in order. */
export function stepScript(step: number, random: Random): Moment[] {
  const scripts: Array<(random: Random) => Moment[]> = [connectAccounts, chooseUseCase, provisionServices, buildAgent, testCall, deploy, wrapUp];
  return scripts[step]?.(random) ?? [];
}

export function connectAccounts(random: Random): Moment[] {
  return [
    { after: (page) => page.action('openai_key_entered', { keyFormat: 'sk-proj' }) },
    {
      call: { endpoint: '/v1/models', method: 'GET', durationMs: random.int(180, 650), flaky: true },
      after: (page) => {
        page.action('openai_connected', { validated: true });
        page.stateChange('openaiConnected', false, true);
      },
    },
    { after: (page) => page.action('twilio_credentials_entered', { region: random.pick(['us1', 'ie1', 'au1']) }) },
    {
      call: { endpoint: '/api/validate-twilio', method: 'POST', durationMs: random.int(250, 900) },
      after: (page) => {
        page.action('twilio_connected', { validated: true });
        page.stateChange('twilioConnected', false, true);
      },
    },
  ];
}

function chooseUseCase(random: Random): Moment[] {
  const useCase = random.pick(USE_CASES);
  return [
    { call: { endpoint: '/api/use-cases', method: 'GET', durationMs: random.int(40, 160) }, after: (page) => page.action('use_case_previewed', { useCase: random.pick(USE_CASES) }) },
    {
      after: (page) => {
        page.action('use_case_selected', { useCase });
        page.stateChange('selectedUseCase', null, useCase);
      },
    },
  ];
}

/** Step 2 up to the deployment of the voice function, which is where some Twilio accounts fail. */
export function provisionBeforeDeploy(random: Random): Moment[] {
  const number = phoneNumber(random);
  return [
    { call: { endpoint: '/api/phone-numbers/available', method: 'GET', durationMs: random.int(300, 1200), details: { areaCode: '555' }, flaky: true } },
    {
      call: { endpoint: '/api/provision-phone-number', method: 'POST', durationMs: random.int(800, 2400), details: { phoneNumber: number } },
      after: (page) => page.action('phone_number_selected', { phoneNumber: number, provider: 'twilio' }),
    },
  ];
}

export const deployVoiceFunction = (random: Random): ApiCall => ({
  endpoint: '/api/deploy-function',
  method: 'POST',
  durationMs: random.int(2500, 9000),
  details: { functionName: 'voice-handler' },
  flaky: true,
});

function provisionServices(random: Random): Moment[] {
  return [
    ...provisionBeforeDeploy(random),
    { call: deployVoiceFunction(random), after: (page) => page.stateChange('servicesReady', false, true) },
  ];
}

function buildAgent(random: Random): Moment[] {
  return [
    { after: (page) => page.action('system_prompt_edited', { promptLength: random.int(180, 1400) }) },
    { after: (page) => page.action('tool_added', { toolName: random.pick(TOOLS) }) },
    {
      call: { endpoint: '/api/agent', method: 'PUT', durationMs: random.int(120, 500), flaky: true },
      after: (page) => {
        page.action('voice_selected', { voice: random.pick(VOICES) });
        page.stateChange('agentConfigured', false, true);
      },
    },
  ];
}

function testCall(random: Random): Moment[] {
  return [
    {
      call: { endpoint: '/api/test-call', method: 'POST', durationMs: random.int(900, 2500), flaky: true },
      after: (page) => {
        page.action('test_call_started', { to: phoneNumber(random) });
        page.stateChange('callStatus', 'idle', 'in_progress');
      },
    },
    {
      call: { endpoint: '/api/test-call/status', method: 'GET', durationMs: random.int(60, 200) },
      after: (page) => {
        page.action('test_call_ended', { durationSeconds: random.int(25, 140) });
        page.stateChange('callStatus', 'in_progress', 'completed');
      },
    },
  ];
}

function deploy(random: Random): Moment[] {
  return [
    { call: { ...deployVoiceFunction(random), details: { functionName: 'voice-agent-prod' } } },
    {
      call: { endpoint: '/api/update-webhook', method: 'POST', durationMs: random.int(200, 700) },
      after: (page) => {
        page.action('agent_deployed', { environment: 'production' });
        page.stateChange('agentDeployed', false, true);
      },
    },
  ];
}

function wrapUp(random: Random): Moment[] {
  return [
    { after: (page) => page.action('feedback_submitted', { rating: random.pick([4, 5, 5, 5, 3]) }) },
    { after: (page) => page.action('certificate_downloaded', {}) },
  ];
}

/**
 * What a step's page fetches as it opens (its instructions, the student's saved work, the
 * class's progress, a code sample or two): as the SDK's fetch autocapture logs them, 3 to
 * 6 `api_call` events at the same moment, the burst a real class sends at each step change.
 */
export function stepPageLoad(step: number, random: Random): ApiCall[] {
  const calls: ApiCall[] = [
    { endpoint: `/api/workshop/steps/${step}`, method: 'GET', durationMs: random.int(40, 250) },
    { endpoint: '/api/workshop/state', method: 'GET', durationMs: random.int(30, 180) },
    { endpoint: '/api/workshop/progress', method: 'GET', durationMs: random.int(30, 120) },
  ];
  for (let snippet = random.int(0, 3); snippet > 0; snippet--) {
    calls.push({ endpoint: `/api/workshop/steps/${step}/snippets/${snippet}`, method: 'GET', durationMs: random.int(20, 90) });
  }
  return calls;
}

/** Something a student does while reading or thinking: hints, docs, the progress poll. */
export function fillerMoment(step: number, random: Random): Moment {
  const choice = random.int(0, 3);
  if (choice === 0) return { after: (page) => page.action('hint_opened', { hint: `step-${step}-hint-${random.int(1, 3)}` }) };
  if (choice === 1) return { after: (page) => page.action('docs_link_clicked', { url: random.pick(DOCS) }) };
  if (choice === 2) return { after: (page) => page.action('code_copied', { snippet: `step-${step}-snippet` }) };
  return { call: { endpoint: '/api/workshop/progress', method: 'GET', durationMs: random.int(30, 120) } };
}

const DOCS = [
  'https://www.twilio.com/docs/voice',
  'https://www.twilio.com/docs/serverless/functions-assets/functions',
  'https://platform.openai.com/docs/guides/realtime',
  'https://platform.openai.com/docs/api-reference/authentication',
];
