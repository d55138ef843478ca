// `npm run loadtest`: a class of students and their instructors against two instances on
// PostgreSQL behind nginx, one of them killed and restarted mid-class; then what the
// database holds. `--capacity` instead finds the largest class each setup serves.
// Everything runs on loopback and is stopped and removed at the end, failure or not.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findCapacity, formatCapacity, type CapacityResult } from './capacity.js';
import { checksOf } from './checks.js';
import { runClass } from './class-run.js';
import { readOptions, USAGE, UsageError, type LoadtestOptions } from './options.js';
import { formatRun } from './report.js';
import { startPostgresSetup, startSqliteSetup, type ServiceSetup } from './service-setup.js';

/** Setups still running, for a signal to stop them. */
const running = new Set<ServiceSetup>();
const log = (line: string) => process.stderr.write(`loadtest: ${line}\n`);

async function tracked(start: Promise<ServiceSetup>): Promise<ServiceSetup> {
  const setup = await start;
  running.add(setup);
  return { ...setup, close: () => setup.close().finally(() => running.delete(setup)) };
}

async function classRun(options: LoadtestOptions): Promise<boolean> {
  const setup = await tracked(startPostgresSetup(options.adminUrl, options.root));
  try {
    const { students, durationSeconds, instructors, kill, seed } = options;
    const result = await runClass(setup, { students, durationSeconds, instructors, kill, seed }, log);
    const checks = checksOf(result);
    const passed = checks.every((check) => check.pass);
    process.stdout.write(`${formatRun(result, checks)}\n`);
    await writeJson(options, { kind: 'class', passed, checks, result });
    return passed;
  } finally {
    await setup.close();
  }
}

async function capacityRun(options: LoadtestOptions): Promise<boolean> {
  const plan = { stepSeconds: options.stepSeconds, instructors: options.instructors, seed: options.seed };
  const results: CapacityResult[] = [];
  results.push(await findCapacity('1 instance on SQLite', () => tracked(startSqliteSetup(options.root)), plan, log));
  results.push(await findCapacity('2 instances on PostgreSQL behind nginx', () => tracked(startPostgresSetup(options.adminUrl, options.root)), plan, log));
  process.stdout.write(`\n${results.map(formatCapacity).join('\n\n')}\n`);
  // Passed: every step kept the data whole; how large a class each setup serves is the finding, not a verdict.
  const passed = results.every((result) => result.steps.every((step) => step.intact));
  await writeJson(options, { kind: 'capacity', passed, results });
  return passed;
}

async function writeJson(options: LoadtestOptions, value: unknown): Promise<void> {
  if (options.jsonFile !== undefined) await writeFile(options.jsonFile, `${JSON.stringify(value, null, 2)}\n`);
}

async function main(): Promise<number> {
  let options: LoadtestOptions;
  try {
    options = readOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError || (error instanceof TypeError && 'code' in error))) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (!existsSync(path.join(options.root, 'dist', 'server.js'))) {
    log('dist/server.js is missing: npm run build first (npm run loadtest does)');
    return 2;
  }
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      signalled = true;
      log(`${signal}: stopping what was started`);
      void Promise.all([...running].map((setup) => setup.close())).finally(() => process.exit(130));
    });
  }
  try {
    const passed = options.capacity ? await capacityRun(options) : await classRun(options);
    return passed ? 0 : 1;
  } catch (error) {
    // What failed once a signal stopped everything is only that.
    if (signalled) return 130;
    throw error;
  }
}

process.exitCode = await main();
