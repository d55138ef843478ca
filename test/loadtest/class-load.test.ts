// The load test's short version, as CI runs it: a class of 200 and five instructors for
// about 35 s against two built instances on PostgreSQL behind nginx, one killed and
// restarted mid-class. Checked from its JSON result, as a user would read it; latencies
// are reported there, never asserted (they depend on the machine).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Check } from '../../loadtest/checks.js';
import type { RunResult } from '../../loadtest/run-result.js';
import { findNginx } from '../../scripts/lib/nginx-proxy.js';
import { postgresAvailable, TEST_DATABASE_URL } from '../helpers/postgres.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The run takes about 50 s; past this it is stuck, and everything it started is killed. */
const RUN_LIMIT_MS = 100_000;

/** Why it cannot run here, or false. CI installs nginx and sets SESSION_LOG_REQUIRE_NGINX=1. */
function nginxMissing(): string | false {
  if (findNginx() !== undefined) return false;
  if (process.env.SESSION_LOG_REQUIRE_NGINX === '1') throw new Error('nginx is required (SESSION_LOG_REQUIRE_NGINX=1) but not installed');
  return 'nginx not installed (apt-get install nginx)';
}

const unavailable = (await postgresAvailable()) ? nginxMissing() : 'postgres unreachable';

interface LoadtestOutput {
  code: number | null;
  output: string;
  json: { passed: boolean; checks: Check[]; result: RunResult } | undefined;
}

/**
 * `tsx loadtest/run.ts --short` in a process group of its own: if it outlives its limit,
 * the group is killed, its instances and nginx with it.
 */
async function runShortLoadtest(): Promise<LoadtestOutput> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'session-log-loadtest-test-'));
  const jsonFile = path.join(dir, 'result.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'loadtest/run.ts', '--short', '--json', jsonFile], {
    cwd: ROOT,
    env: { ...process.env, LOADTEST_DATABASE_URL: TEST_DATABASE_URL },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, signal);
  };
  const terminate = setTimeout(() => killGroup('SIGTERM'), RUN_LIMIT_MS);
  const kill = setTimeout(() => killGroup('SIGKILL'), RUN_LIMIT_MS + 10_000);
  try {
    const [code] = (await once(child, 'exit')) as [number | null];
    let json: LoadtestOutput['json'];
    try {
      json = JSON.parse(readFileSync(jsonFile, 'utf8')) as LoadtestOutput['json'];
    } catch {
      json = undefined;
    }
    return { code, output, json };
  } finally {
    clearTimeout(terminate);
    clearTimeout(kill);
    killGroup('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

await describe('npm run loadtest -- --short: a class through nginx, one instance killed and restarted', { skip: unavailable }, () => {
  it('acknowledges events and loses none, stores none twice, never says 429, and every stream resumes', { timeout: RUN_LIMIT_MS + 20_000 }, async () => {
    const { code, output, json } = await runShortLoadtest();
    assert.ok(json !== undefined, `no result was written (exit ${code}):\n${output.slice(-4000)}`);
    const { result } = json;
    const failed = json.checks.filter((check) => !check.pass);
    assert.deepEqual(failed, [], output.slice(-4000));
    assert.ok(result.eventsPerSecond > 0, 'events were acknowledged');
    assert.equal(result.tooManyRequests, 0, '429s');
    assert.ok(result.storage !== null, 'counted in the database');
    assert.equal(result.storage.lost, 0, 'acknowledged events missing from the database');
    assert.equal(result.storage.duplicatedEventIds, 0, 'an eventId stored twice');
    assert.equal(result.storage.duplicatedSeqs, 0, 'a (session, seq) stored twice');
    const drill = result.killDrill;
    assert.ok(drill !== null, 'an instance was killed');
    assert.equal(drill.healthAtEnd, 200, 'the restarted instance answers');
    assert.ok(drill.ingestAnsweredAfterRestart > 0, 'nginx gave the restarted instance batches, and it took them');
    const dropped = result.streams.filter((stream) => stream.drops > 0);
    assert.ok(dropped.length > 0, 'the killed instance held live streams');
    for (const stream of dropped) assert.equal(stream.resumedAtLastEventId, stream.reconnects, `${JSON.stringify(stream.filter)} reconnected and resumed at its Last-Event-ID`);
    for (const stream of result.streams) {
      assert.deepEqual([stream.missing, stream.duplicated], [0, 0], `${JSON.stringify(stream.filter)}: each event of its filter exactly once`);
    }
    assert.equal(code, 0, 'the load test exits 0');
  });
});
