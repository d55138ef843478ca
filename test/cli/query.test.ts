// `session-log query` against a real service: what a person sees on a terminal, what a
// script reads from a pipe, and the exit codes both rely on.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { runCli } from './helpers/cli.js';
import { runInPty } from './helpers/pty.js';
import { startService, TOKEN } from './helpers/service.js';

const service = await startService();

const ada = { sessionToken: 'ws_ada', studentEmail: 'ada@example.edu', studentName: 'Ada' };
const grace = { sessionToken: 'ws_grace', studentEmail: 'grace@example.edu', studentName: 'Grace' };
await service.post([
  { ...ada, eventType: 'navigation', eventData: { from: 1, to: 2, toStepName: 'Provision Services' } },
  { ...ada, eventType: 'api_call', eventData: { endpoint: '/v1/keys', method: 'POST', status: 401, success: false } },
  { ...grace, eventType: 'api_call', eventData: { endpoint: '/v1/keys', method: 'POST', status: 200, success: true } },
  { ...grace, eventType: 'error', eventData: { errorType: 'twilio_function_deploy_failed', errorMessage: 'red \u001b[31malert\u001b[0m\nsecond line' } },
]);
const BULK = 1500;
for (let start = 0; start < BULK; start += 500) {
  await service.post(Array.from({ length: 500 }, (_, index) => ({ sessionToken: 'ws_bulk', eventType: 'bulk', eventData: { n: start + index } })));
}

/** A port nothing listens on: one the OS just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const parseLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as { event_id: number; event_type: string; event_data: Record<string, unknown>; student_email: string | null });

await describe('session-log query', { concurrency: true, timeout: 60_000 }, () => {
  after(() => service.stop());

  it('prints NDJSON when piped: one event a line, newest first, 100 by default', async () => {
    const { code, stdout, stderr } = await runCli(['query'], service.env);
    assert.equal(code, 0, stderr);
    const events = parseLines(stdout);
    assert.equal(events.length, 100);
    const ids = events.map((event) => event.event_id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  });

  it("filters as the API does: --email, --type, --data field=op:value, --order", async () => {
    const { code, stdout } = await runCli(['query', '--email', 'ada@example.edu', '--type', 'api_call', '--data', 'status=gte:400', '--order', 'asc'], service.env);
    assert.equal(code, 0);
    const events = parseLines(stdout);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.event_data.status, 401);
    const both = parseLines((await runCli(['query', '--type', 'api_call', '--data', 'status=gte:100', '--data', 'status=lt:500'], service.env)).stdout);
    assert.equal(both.length, 2);
  });

  it('follows the cursors: --all reads every page, --limit stops across pages, nothing twice', async () => {
    const all = parseLines((await runCli(['query', '--type', 'bulk', '--all'], service.env)).stdout);
    assert.equal(all.length, BULK);
    assert.equal(new Set(all.map((event) => event.event_id)).size, BULK);
    const limited = parseLines((await runCli(['query', '--type', 'bulk', '--limit', '1200', '--order', 'asc'], service.env)).stdout);
    assert.deepEqual(
      limited.map((event) => event.event_data.n),
      Array.from({ length: 1200 }, (_, index) => index),
    );
  });

  it('--json prints one JSON array', async () => {
    const { code, stdout } = await runCli(['query', '--session', 'ws_grace', '--json'], service.env);
    assert.equal(code, 0);
    const events = JSON.parse(stdout) as Array<{ event_type: string }>;
    assert.deepEqual(events.map((event) => event.event_type), ['error', 'api_call']);
    assert.deepEqual(JSON.parse((await runCli(['query', '--session', 'nobody', '--json'], service.env)).stdout), []);
  });

  it('shows a table on a terminal, event data as text, control characters escaped', async () => {
    const { code, output } = await runInPty(['query', '--session', 'ws_grace'], { env: service.env, columns: 200 });
    assert.equal(code, 0, output);
    const lines = output.trim().split('\n');
    assert.match(lines[0] ?? '', /^TIME \(UTC\)\s+TYPE\s+STUDENT\s+SESSION\s+DATA$/);
    assert.equal(lines.length, 3, output);
    assert.match(lines[1] ?? '', /error\s+grace@example\.edu\s+ws_grace\s+errorType=twilio_function_deploy_failed errorMessage="red \\u001b\[31malert/);
    assert.match(lines[2] ?? '', /api_call .* endpoint=\/v1\/keys method=POST status=200 success=true$/);
    assert.ok(!output.includes('\u001b'), 'no raw escape reaches the terminal');
  });

  it('says so on a terminal when nothing matches', async () => {
    const { code, output } = await runInPty(['query', '--email', 'nobody@example.edu'], { env: service.env });
    assert.equal(code, 0);
    assert.match(output, /no events match/);
  });

  it('exits 4 with one line on a wrong token, and never prints the token', async () => {
    const wrong = 'wrong-token-abcdefghijklmnop';
    const { code, stdout, stderr } = await runCli(['query', '--token', wrong], { SESSION_LOG_URL: service.url });
    assert.equal(code, 4);
    assert.equal(stdout, '');
    assert.match(stderr, /^session-log: 401 unauthorized: .+\n$/);
    assert.ok(!stderr.includes(wrong));
    const none = await runCli(['query'], { SESSION_LOG_URL: service.url });
    assert.equal(none.code, 4);
    assert.match(none.stderr, /no token given/);
  });

  it('reads the token from --token-file', async () => {
    const file = `${service.dir}/token`;
    await import('node:fs/promises').then((fs) => fs.writeFile(file, `${TOKEN}\n`));
    const { code, stdout } = await runCli(['query', '--limit', '1', '--token-file', file], { SESSION_LOG_URL: service.url });
    assert.equal(code, 0);
    assert.equal(parseLines(stdout).length, 1);
  });

  it('exits 2 on bad usage, found by the CLI or by the service', async () => {
    for (const args of [['query', '--data', 'no-equals-sign'], ['query', '--limit', '0'], ['query', '--order', 'sideways'], ['query', '--all', '--limit', '5'], ['query', '--since', 'yesterday']]) {
      const { code, stdout, stderr } = await runCli(args, service.env);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.equal(stdout, '');
      assert.match(stderr, /^session-log: /);
      assert.ok(!stderr.includes('    at '), 'no stack trace');
    }
  });

  it('exits 5 naming the address when the service cannot be reached', async () => {
    const unused = `http://127.0.0.1:${await closedPort()}`;
    const { code, stderr } = await runCli(['query'], { SESSION_LOG_URL: unused, SESSION_LOG_TOKEN: TOKEN });
    assert.equal(code, 5);
    assert.equal(stderr, `session-log: cannot reach the service at ${unused}: connection refused (is it running? set --url or SESSION_LOG_URL)\n`);
  });
});
