// `npm run screenshots`: the demo class in real Chromium, saved as the README's pictures
// (docs/overview.png, docs/timeline.png, docs/analytics.png). Runs the demo's service and class at 3× speed
// until someone is stuck and someone has asked for help, then signs in and takes them.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { OverviewResponse } from '../src/sessions/overview-schema.js';
import { TWILIO_DEPLOY_ERROR_TYPE } from './demo/student.js';
import { launchChromium } from '../test/helpers/browser.js';
import { startClassSimulation } from './demo/class-simulation.js';
import { startService } from './demo/service-process.js';

const DOCS = path.resolve(import.meta.dirname, '../docs');
const VIEWPORT = { width: 1280, height: 800 };
const WAIT_LIMIT_MS = 6 * 60_000;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'session-log-screenshots-'));
  const adminToken = randomBytes(16).toString('hex');
  const service = await startService({ port: 4610, databaseUrl: `sqlite:${path.join(dir, 'demo.db')}`, adminToken });
  const simulation = startClassSimulation({ baseUrl: service.baseUrl, seed: 42, speed: 3 });
  try {
    const stuck = await waitForStuckStudent(service.baseUrl, adminToken);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'light' });
      await page.goto(service.baseUrl);
      await page.fill('input[name=token]', adminToken);
      await page.click('button[type=submit]');
      await page.locator('table.overview tbody tr').nth(10).waitFor();
      await page.screenshot({ path: path.join(DOCS, 'overview.png') });
      await page.goto(`${service.baseUrl}/?view=student&session=${encodeURIComponent(stuck)}`);
      // The timeline opens on the student's latest error, already expanded.
      await page.locator('.timeline svg').waitFor();
      await page.screenshot({ path: path.join(DOCS, 'timeline.png') });
      await page.goto(`${service.baseUrl}/?view=analytics&window=1h`);
      await page.locator('#error-patterns table.report').waitFor();
      await page.locator('#step-funnel canvas').waitFor();
      await page.screenshot({ path: path.join(DOCS, 'analytics.png'), fullPage: true });
      console.log(`saved ${['overview.png', 'timeline.png', 'analytics.png'].map((file) => path.join('docs', file)).join(', ')}`);
    } finally {
      await browser.close();
    }
  } finally {
    await simulation.stop();
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Polls the overview until a student is stuck on Twilio's 403 (what the README's timeline
 * shows) and one has asked for help; returns that stuck student.
 */
async function waitForStuckStudent(baseUrl: string, adminToken: string): Promise<string> {
  const started = Date.now();
  for (;;) {
    const response = await fetch(`${baseUrl}/api/sessions`, { headers: { authorization: `Bearer ${adminToken}` } });
    const { sessions } = (await response.json()) as OverviewResponse;
    const stuck = sessions.find((s) => s.status === 'stuck' && s.lastError?.errorType === TWILIO_DEPLOY_ERROR_TYPE);
    if (stuck !== undefined && sessions.some((s) => s.status === 'asked_for_help')) return stuck.sessionToken;
    if (Date.now() - started > WAIT_LIMIT_MS) throw new Error('no stuck student after 6 minutes of the demo class');
    process.stderr.write(`waiting for the class to get stuck… (${Math.round((Date.now() - started) / 1000)} s)\n`);
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
}

main().catch((error: unknown) => {
  console.error(`screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
