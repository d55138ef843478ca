// `npm run demo`: the built service on a temporary SQLite file (or one or more instances
// sharing a PostgreSQL database), with two alert rules, and a simulated class of 40
// students working through the workshop live, through the real HTTP API.
// Env: PORT (3000, or the next free one, as the service reads it), DEMO_SEED (42), DEMO_SPEED (1),
// DEMO_DATABASE_URL (postgres://…), DEMO_INSTANCES (1), SESSION_LOG_ADMIN_TOKEN (random).
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startClassSimulation, type ClassSimulation } from './demo/class-simulation.js';
import { createDemoRules } from './demo/demo-rules.js';
import { describeFailure, startService, type RunningService } from './demo/service-process.js';
import { readSettings, SettingsError, type DemoSettings } from './demo/settings.js';
import { statusLine } from './demo/status-line.js';

const STATUS_EVERY_MS = 10_000;

interface Demo {
  dir: string;
  services: RunningService[];
  /** The instance being started (it may be stopped before it is ready). */
  starting?: RunningService;
  simulation?: ClassSimulation;
  statusTimer?: NodeJS.Timeout;
  closing: boolean;
}

async function main(): Promise<void> {
  const settings = readSettingsOrExit();
  const demo: Demo = { dir: await mkdtemp(path.join(os.tmpdir(), 'session-log-demo-')), services: [], closing: false };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => onSignal(demo, signal));
  try {
    const databaseUrl = settings.databaseUrl ?? `sqlite:${path.join(demo.dir, 'demo.db')}`;
    for (let instance = 0; instance < settings.instances && !demo.closing; instance++) {
      const previous = demo.services.at(-1);
      const service = await startService({
        port: previous === undefined ? settings.port : previous.port + 1,
        databaseUrl,
        adminToken: settings.adminToken,
        onSpawn: (spawned) => (demo.starting = spawned),
        onOutput: (line) => console.error(`[service ${instance + 1}] ${line}`),
      });
      demo.services.push(service);
      demo.starting = undefined;
      void service.exited.then((exit) => {
        if (demo.closing) return;
        console.error(`\nA service stopped unexpectedly: ${describeFailure(service, exit)}`);
        void shutdown(demo, 1, { serviceGone: true });
      });
    }
    if (demo.closing) return;
    await createDemoRules(demo.services[0]!.baseUrl, settings.adminToken);
    printBanner(demo.services, settings, settings.databaseUrl === undefined ? path.join(demo.dir, 'demo.db') : null);
    runClass(demo, settings);
  } catch (error) {
    if (demo.closing) return;
    console.error(`demo: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(demo, 1);
  }
}

function readSettingsOrExit(): DemoSettings {
  try {
    return readSettings(process.env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(`demo: ${error.message}`);
    process.exit(1);
  }
}

function runClass(demo: Demo, settings: DemoSettings): void {
  const simulation = startClassSimulation({ baseUrl: demo.services.map((service) => service.baseUrl), seed: settings.seed, speed: settings.speed });
  demo.simulation = simulation;
  demo.statusTimer = setInterval(() => console.log(statusLine(simulation.stats())), STATUS_EVERY_MS);
}

function printBanner(services: RunningService[], settings: DemoSettings, sqliteFile: string | null): void {
  const speed = settings.speed === 1 ? '' : `, ${settings.speed}× speed`;
  const [first] = services;
  const instances = services.length === 1 ? '' : ` through ${services.length} instances sharing PostgreSQL`;
  console.log(
    [
      '',
      `session-log demo: 40 simulated students working through the workshop live${instances} (seed ${settings.seed}${speed})`,
      '',
      ...services.map((service, i) => `  Dashboard${services.length === 1 ? '' : ` ${i + 1}`}:${services.length === 1 ? '  ' : ''}       ${service.baseUrl}/`),
      `  Instructor token:  ${settings.adminToken}`,
      '  Alert rules:       stuck or asking for help; Twilio deploys failing for 3 students within 5 min',
      '',
      `  Class overview:    curl -H "Authorization: Bearer ${settings.adminToken}" ${first?.baseUrl ?? ''}/api/sessions`,
      `  Database:          ${sqliteFile === null ? (settings.databaseUrl ?? '') : `${sqliteFile} (deleted on exit)`}`,
      '',
      'A status line follows every 10 s. Ctrl-C stops the class and the service.',
      '',
    ].join('\n'),
  );
}

/** The instances started and the one starting. */
const running = (demo: Demo) => (demo.starting === undefined ? demo.services : [...demo.services, demo.starting]);

function onSignal(demo: Demo, signal: NodeJS.Signals): void {
  if (!demo.closing) {
    console.log(`\n${signal}: stopping the class and the service…`);
    void shutdown(demo, 0);
    return;
  }
  // A second Ctrl-C: no more waiting.
  for (const service of running(demo)) service.kill();
  rmSync(demo.dir, { recursive: true, force: true });
  process.exit(130);
}

async function shutdown(demo: Demo, code: number, { serviceGone = false } = {}): Promise<void> {
  demo.closing = true;
  clearInterval(demo.statusTimer);
  try {
    // With the service gone, the students' last events have nowhere to go.
    await demo.simulation?.stop(serviceGone ? 0 : undefined);
    await Promise.all(running(demo).map((service) => service.stop()));
  } finally {
    await rm(demo.dir, { recursive: true, force: true });
    console.log(`Stopped; removed ${demo.dir}.`);
    process.exit(code);
  }
}

await main();
