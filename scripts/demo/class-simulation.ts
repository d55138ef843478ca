// A class (40 students by default) working through the workshop live, each sending their
// events to the real HTTP API as the browser SDK would. Used by `npm run demo`, the
// screenshots and the load test.
import { openOutbox, type DeliveryStats, type SendAttempt } from './outbox.js';
import { createRandom, type Random } from './random.js';
import { createRoster, type SimulatedStudent } from './roster.js';
import { createSessionLogger, type SessionLogger } from './session-logger.js';
import { paceFor, runStudent, type StudentRun } from './student.js';
import { STEP_NAMES, USER_AGENTS } from './workshop.js';

export type { SendAttempt } from './outbox.js';
export type { SimulatedStudent, StudentRole } from './roster.js';

export interface ClassSimulationOptions {
  /** The service, e.g. http://127.0.0.1:3000; or several instances, the students spread over them. */
  baseUrl: string | readonly string[];
  /** The same seed gives the same class: roles, paces, choices (default 42). */
  seed?: number;
  /** Multiplies the pace: 10 gets the blocked and erroring students there ten times sooner (default 1). */
  speed?: number;
  /** Told when the service refuses a batch with a 4xx (a bug in the simulation). */
  onRefused?: (message: string) => void;
  /** How many students (default 40); past 40, names come round again with the same mix of roles. */
  students?: number;
  /** Each step's page logs its fetches as it opens: a burst of events at every step change (default false). */
  logsPageLoads?: boolean;
  /** How long after a page's first queued event its batch goes (default 1–2 s, divided by the speed; the SDK's is 1 s). */
  flushDelayMs?: number;
  /** Told of every POST: its status, how long it took, its events. */
  onAttempt?: (attempt: SendAttempt) => void;
}

export interface ClassStats extends DeliveryStats {
  studentsTotal: number;
  /** Students still working: not finished, not gone idle. */
  studentsActive: number;
  /** How many students are on each step, by step index. */
  studentsByStep: number[];
}

export interface ClassSimulation {
  readonly students: readonly SimulatedStudent[];
  stats(): ClassStats;
  /** Stops every student and sends what they logged, for at most `flushMs` (3 s). Safe to call twice. */
  stop(flushMs?: number): Promise<void>;
}

interface Member {
  page: SessionLogger;
  active: boolean;
  done: Promise<void>;
  close(deadline: number): Promise<void>;
}

const FINAL_FLUSH_MS = 3000;

export function startClassSimulation(options: ClassSimulationOptions): ClassSimulation {
  const speed = options.speed ?? 1;
  if (!(speed > 0 && Number.isFinite(speed))) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const random = createRandom(options.seed ?? 42);
  const students = createRoster(random, options.students);
  const stats: DeliveryStats = { eventsSent: 0, eventsPending: 0, retries: 0, eventsRefused: 0, eventsAbandoned: 0, lastProblem: null };
  const stopping = new AbortController();
  const clock = classClock(speed, stopping.signal);
  const instances = [options.baseUrl].flat();
  const join = (student: SimulatedStudent, index: number) =>
    joinClass(student, random.fork(), { ...options, baseUrl: instances[index % instances.length] ?? '', speed, stats, clock });
  const members = students.map(join);
  let stopped: Promise<void> | undefined;

  return {
    students,
    stats: () => ({ ...stats, ...attendance(members) }),
    stop(flushMs = FINAL_FLUSH_MS) {
      stopped ??= (async () => {
        stopping.abort();
        await Promise.all(members.map((member) => member.done));
        const deadline = Date.now() + flushMs;
        await Promise.all(members.map((member) => member.close(deadline)));
      })();
      return stopped;
    },
  };
}

type ClassClock = Pick<StudentRun, 'wait' | 'now'>;

/** Workshop time: `speed` times faster than the wall clock, and every wait ends when the class stops. */
function classClock(speed: number, signal: AbortSignal): ClassClock {
  const start = Date.now();
  // Every student waits at once: one abort listener wakes them all. One listener per wait
  // costs each add and remove a walk through all of them, most of a core for 5,000 students.
  const waiting = new Set<() => void>();
  signal.addEventListener('abort', () => waiting.forEach((wake) => wake()), { once: true });
  return {
    wait: (seconds) =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve(false);
        const end = (completed: boolean) => {
          clearTimeout(timer);
          waiting.delete(cancel);
          resolve(completed);
        };
        const cancel = () => end(false);
        const timer = setTimeout(() => end(true), (seconds * 1000) / speed);
        waiting.add(cancel);
      }),
    now: () => ((Date.now() - start) * speed) / 1000,
  };
}

interface JoinContext extends ClassSimulationOptions {
  baseUrl: string;
  speed: number;
  stats: DeliveryStats;
  clock: ClassClock;
}

function joinClass(student: SimulatedStudent, random: Random, context: JoinContext): Member {
  const outbox = openOutbox({
    endpoint: new URL('/api/session-log', context.baseUrl).href,
    // Pages of a faster class send sooner, so that the dashboard keeps up with it.
    flushDelayMs: context.flushDelayMs ?? Math.max(200, random.between(1000, 2000) / context.speed),
    stats: context.stats,
    onRefused: context.onRefused ?? ((message) => console.warn(`session-log refused a batch: ${message}`)),
    onAttempt: context.onAttempt,
  });
  const page = createSessionLogger(
    {
      sessionToken: student.sessionToken,
      ...(student.email === undefined ? {} : { studentEmail: student.email, studentName: student.name }),
      userAgent: random.pick(USER_AGENTS),
    },
    outbox,
  );
  const run: StudentRun = { page, random, ...paceFor(student.role, random), ...context.clock, logsPageLoads: context.logsPageLoads };
  const member: Member = { page, active: true, done: Promise.resolve(), close: (deadline) => outbox.close(deadline) };
  member.done = runStudent(student.role, run)
    .catch((error: unknown) => {
      context.stats.lastProblem = `${student.name}: ${error instanceof Error ? error.message : String(error)}`;
    })
    .finally(() => {
      member.active = false;
    });
  return member;
}

function attendance(members: readonly Member[]): Pick<ClassStats, 'studentsTotal' | 'studentsActive' | 'studentsByStep'> {
  const studentsByStep = STEP_NAMES.map(() => 0);
  for (const { page } of members) {
    if (page.step !== null) studentsByStep[page.step] = (studentsByStep[page.step] ?? 0) + 1;
  }
  return { studentsTotal: members.length, studentsActive: members.filter((member) => member.active).length, studentsByStep };
}
