// `npm run demo`: the built service on a temporary SQLite file, and a simulated class of
// 40 students working through the workshop live, through the real HTTP API.
// Env: DEMO_PORT (3000, or the next free one), DEMO_SEED (42), DEMO_SPEED (1),
// SESSION_LOG_ADMIN_TOKEN (a random one by default).
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startClassSimulation, type ClassSimulation } from './demo/class-simulation.js';
import { describeFailure, startService, type RunningService } from './demo/service-process.js';
import { readSettings, SettingsError, type DemoSettings } from './demo/settings.js';
import { statusLine } from './demo/status-line.js';

const STATUS_EVERY_MS = 10_000;

interface Demo {
  dir: string;
  service?: RunningService;
  simulation?: ClassSimulation;
  statusTimer?: NodeJS.Timeout;
  closing: boolean;
}

async function main(): Promise<void> {
  const settings = readSettingsOrExit();
  const demo: Demo = { dir: await mkdtemp(path.join(os.tmpdir(), 'session-log-demo-')), closing: false };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => onSignal(demo, signal));
  try {
    const service = await startService({
      port: settings.port,
      databaseUrl: `sqlite:${path.join(demo.dir, 'demo.db')}`,
      adminToken: settings.adminToken,
      onSpawn: (spawned) => (demo.service = spawned),
      onOutput: (line) => console.error(`[service] ${line}`),
    });
    if (demo.closing) return;
    void service.exited.then((exit) => {
      if (demo.closing) return;
      console.error(`\nThe service stopped unexpectedly: ${describeFailure(service, exit)}`);
      void shutdown(demo, 1, { serviceGone: true });
    });
    printBanner(service, settings, demo.dir);
    runClass(demo, service, settings);
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

function runClass(demo: Demo, service: RunningService, settings: DemoSettings): void {
  const simulation = startClassSimulation({ baseUrl: service.baseUrl, seed: settings.seed, speed: settings.speed });
  demo.simulation = simulation;
  demo.statusTimer = setInterval(() => console.log(statusLine(simulation.stats())), STATUS_EVERY_MS);
}

function printBanner(service: RunningService, settings: DemoSettings, dir: string): void {
  const speed = settings.speed === 1 ? '' : `, ${settings.speed}× speed`;
  console.log(
    [
      '',
      `session-log demo: 40 simulated students working through the workshop live (seed ${settings.seed}${speed})`,
      '',
      `  Dashboard:         ${service.baseUrl}/`,
      `  Instructor token:  ${settings.adminToken}`,
      '',
      `  Class overview:    curl -H "Authorization: Bearer ${settings.adminToken}" ${service.baseUrl}/api/sessions`,
      `  Database:          ${path.join(dir, 'demo.db')} (deleted on exit)`,
      '',
      'A status line follows every 10 s. Ctrl-C stops the class and the service.',
      '',
    ].join('\n'),
  );
}

function onSignal(demo: Demo, signal: NodeJS.Signals): void {
  if (!demo.closing) {
    console.log(`\n${signal}: stopping the class and the service…`);
    void shutdown(demo, 0);
    return;
  }
  // A second Ctrl-C: no more waiting.
  demo.service?.kill();
  rmSync(demo.dir, { recursive: true, force: true });
  process.exit(130);
}

async function shutdown(demo: Demo, code: number, { serviceGone = false } = {}): Promise<void> {
  demo.closing = true;
  clearInterval(demo.statusTimer);
  try {
    // With the service gone, the students' last events have nowhere to go.
    await demo.simulation?.stop(serviceGone ? 0 : undefined);
    await demo.service?.stop();
  } finally {
    await rm(demo.dir, { recursive: true, force: true });
    console.log(`Stopped; removed ${demo.dir}.`);
    process.exit(code);
  }
}

await main();
