/** Workshop-like events for load: the spec's event types, 200-400 bytes as JSON. */
import { createRandom } from '../../scripts/demo/random.js';
import type { HttpRequest } from './load.js';

export interface BenchEvent {
  sessionToken: string;
  studentEmail?: string;
  eventType: string;
  eventData: Record<string, unknown>;
}

export const STEP_NAMES = ['Welcome', 'Connect Accounts', 'Create Assistant', 'Add Knowledge', 'Test Chat', 'Deploy'];
export const ACTIONS = ['openai_connected', 'assistant_created', 'file_uploaded', 'prompt_submitted', 'deploy_clicked'];
export const ENDPOINTS = ['/v1/chat/completions', '/v1/assistants', '/v1/files', '/v1/models'];
export const ERRORS: Array<[string, string]> = [
  ['openai_validation_failed', 'Incorrect API key provided: sk-proj-****abcd. Check the key on the Connect step.'],
  ['network_timeout', 'The request to the assistant API timed out after 30000 ms; the student may retry.'],
  ['quota_exceeded', 'You exceeded your current quota, please check your plan and billing details.'],
];
export const FAILED_STATUSES = [400, 401, 429, 500, 502];

interface Dice {
  /** In [0, 1). */
  random: () => number;
  /** An integer in [0, below). */
  int: (below: number) => number;
  pick: <T>(items: readonly T[]) => T;
}

/** The demo's seeded generator (mulberry32), so every run sends the same bodies. */
function dice(seed: number): Dice {
  const random = createRandom(seed);
  return { random: () => random.next(), int: (below) => random.int(0, below - 1), pick: (items) => random.pick(items) };
}

/**
 * Events from `students` students, one session each: ~30% api_call (5% of them failed),
 * 30% navigation, 30% action, 10% error; 80% carry the student's email.
 */
export function eventSource(students: number, seed: number): () => BenchEvent {
  const d = dice(seed);
  let clock = Date.parse('2025-10-27T09:00:00Z');
  return () => {
    const student = d.int(students);
    const email = d.random() < 0.8 ? { studentEmail: `student${student}@workshop.example.edu` } : {};
    const [eventType, data] = eventBody(d);
    clock += d.int(40);
    return {
      sessionToken: `ws_${1761555600000 + student * 7919}_${student}`,
      ...email,
      eventType,
      eventData: { ...data, clientTime: new Date(clock).toISOString() },
    };
  };
}

function eventBody({ random, int, pick }: Dice): [string, Record<string, unknown>] {
  const step = int(STEP_NAMES.length);
  const stepName = STEP_NAMES[step];
  const kind = random();
  if (kind < 0.3) {
    const status = random() < 0.05 ? pick(FAILED_STATUSES) : 200;
    const requestId = `req_${int(2 ** 24).toString(16)}${int(2 ** 24).toString(16)}`;
    return ['api_call', { endpoint: pick(ENDPOINTS), method: 'POST', status, durationMs: 50 + int(4000), model: 'gpt-4o-mini', requestId }];
  }
  if (kind < 0.6) {
    const to = Math.min(step + 1, STEP_NAMES.length - 1);
    return ['navigation', { from: step, to, stepName: STEP_NAMES[to], url: `/workshop/steps/${to}`, viewport: { width: 1440, height: 900 } }];
  }
  if (kind < 0.9) {
    return ['action', { actionName: pick(ACTIONS), validated: random() < 0.7, currentStep: step, stepName, elapsedMs: int(600_000) }];
  }
  const [errorType, message] = pick(ERRORS);
  return ['error', { errorType, message, currentStep: step, stepName, recoverable: true }];
}

/** `count` JSON bodies of one event each. */
export function singleBodies(count: number, seed = 1): Buffer[] {
  const next = eventSource(200, seed);
  return Array.from({ length: count }, () => Buffer.from(JSON.stringify(next())));
}

/** `count` JSON bodies of `{events: [...]}` with `size` events each. */
export function batchBodies(count: number, size: number, seed = 2): Buffer[] {
  const next = eventSource(200, seed);
  return Array.from({ length: count }, () => Buffer.from(JSON.stringify({ events: Array.from({ length: size }, next) })));
}

/** The bodies as ingest requests. */
export function toPosts(bodies: Buffer[]): HttpRequest[] {
  return bodies.map((body) => ({ method: 'POST', path: '/api/session-log', headers: { 'content-type': 'application/json' }, body }));
}
