// `session-log export`: a file that is whole or absent, stdout that scripts can pipe,
// and a progress line only where a person is watching.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from './helpers/cli.js';
import { runInPty } from './helpers/pty.js';
import { startService, TOKEN } from './helpers/service.js';

const service = await startService();

const EVENTS = 300;
await service.post(
  Array.from({ length: EVENTS }, (_, index) => ({
    sessionToken: `ws_${index % 3}`,
    studentEmail: `student${index % 3}@example.edu`,
    eventType: index % 2 === 0 ? 'error' : 'navigation',
    eventData: index % 2 === 0 ? { errorType: 'openai_validation_failed', errorMessage: `=HYPERLINK("x") ${index}` } : { from: 1, to: 2 },
  })),
);

/** A directory of its own for each test's files (they run at once). */
const outDir = () => fs.mkdtempSync(path.join(service.dir, 'out-'));
const leftovers = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('.part'));

/** A service that starts a download and hangs up half-way, as the export does when its database fails mid-stream. */
async function cuttingService(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    response.write('{"event_id":1}\n{"event_id":2}\n', () => response.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

await describe('session-log export', { concurrency: true, timeout: 60_000 }, () => {
  after(() => service.stop());

  it('writes a CSV file with a header and every matching row, readable by its owner only', async () => {
    const dir = outDir();
    const file = path.join(dir, 'errors.csv');
    const { code, stdout, stderr } = await runCli(['export', '--type', 'error', '-o', file], service.env);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, '');
    assert.equal(stderr, '', 'no progress when stderr is not a terminal');
    const rows = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.match(rows[0] ?? '', /^event_id,created_at,session_token,student_email,student_name,event_type,seq,/);
    assert.equal(rows.length, 1 + EVENTS / 2);
    assert.ok(rows.slice(1).every((row) => row.includes(',error,')));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(leftovers(dir), []);
  });

  it('takes the format from the file name, and streams NDJSON to a pipe, oldest first', async () => {
    const dir = outDir();
    const file = path.join(dir, 'all.ndjson');
    assert.equal((await runCli(['export', '--output', file], service.env)).code, 0);
    const piped = await runCli(['export', '--format', 'ndjson', '--email', 'student1@example.edu'], service.env);
    assert.equal(piped.code, 0);
    assert.equal(piped.stderr, '');
    const fromFile = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { event_id: number });
    assert.equal(fromFile.length, EVENTS);
    assert.ok(fromFile.every((event, index) => index === 0 || event.event_id > (fromFile[index - 1]?.event_id ?? 0)));
    assert.equal(piped.stdout.trim().split('\n').length, EVENTS / 3);
  });

  it('--format json with --limit and --order', async () => {
    const { code, stdout } = await runCli(['export', '--format', 'json', '--limit', '5', '--order', 'desc'], service.env);
    assert.equal(code, 0);
    const events = JSON.parse(stdout) as Array<{ event_id: number }>;
    assert.equal(events.length, 5);
    assert.ok((events[0]?.event_id ?? 0) > (events[4]?.event_id ?? 0));
  });

  it('--run exports every event of the students who logged a match; --data, the matching events', async () => {
    const condition = 'errorMessage==HYPERLINK("x") 0';
    const run = await runCli(['export', '--format', 'ndjson', '--run', condition], service.env);
    assert.equal(run.code, 0, run.stderr);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { session_token: string });
    assert.equal(events.length, EVENTS / 3);
    assert.ok(events.every((event) => event.session_token === 'ws_0'));
    const matching = await runCli(['export', '--format', 'ndjson', '--data', condition], service.env);
    assert.equal(matching.stdout.trim().split('\n').length, 1);
  });

  it('shows a progress line on a terminal while it downloads to a file', async () => {
    const dir = outDir();
    const file = path.join(dir, 'watched.ndjson');
    const { code, output } = await runInPty(['export', '-o', file], { env: service.env });
    assert.equal(code, 0, output);
    assert.match(output, new RegExp(`export: [\\d.]+ KB, ${EVENTS} events received, [\\d.]+ s\\n$`));
    assert.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, EVENTS);
  });

  it('keeps a terminal that shows the data free of the progress line', async () => {
    const { code, output } = await runInPty(['export', '--format', 'ndjson', '--limit', '2'], { env: service.env });
    assert.equal(code, 0);
    assert.ok(!output.includes('received'), output);
    assert.equal(output.trim().split('\n').length, 2);
  });

  it('exits 1 and leaves no file when the download is cut short', async () => {
    const dir = outDir();
    const cutting = await cuttingService();
    try {
      const file = path.join(dir, 'cut.ndjson');
      const { code, stderr } = await runCli(['export', '-o', file], { SESSION_LOG_URL: cutting.url, SESSION_LOG_TOKEN: TOKEN });
      assert.equal(code, 1);
      assert.match(stderr, /^session-log: the download was cut short after \d+ bytes \(the connection was closed\): .*cut\.ndjson was not written\n$/);
      assert.equal(fs.existsSync(file), false);
      assert.deepEqual(leftovers(dir), []);
      const piped = await runCli(['export', '--format', 'ndjson'], { SESSION_LOG_URL: cutting.url, SESSION_LOG_TOKEN: TOKEN });
      assert.equal(piped.code, 1);
      assert.match(piped.stderr, /cut short .*: the output is incomplete\n$/);
    } finally {
      await cutting.close();
    }
  });

  it('leaves an existing file alone when the service refuses the export', async () => {
    const dir = outDir();
    const file = path.join(dir, 'kept.csv');
    fs.writeFileSync(file, 'previous export\n');
    const { code, stderr } = await runCli(['export', '--since', 'not-a-time', '-o', file], service.env);
    assert.equal(code, 2);
    assert.match(stderr, /^session-log: 400 invalid_request: /);
    assert.equal(fs.readFileSync(file, 'utf8'), 'previous export\n');
    assert.deepEqual(leftovers(dir), []);
  });
});
