// Every command explains itself, and a mistyped one is bad usage (exit 2), not a crash.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runCli } from './helpers/cli.js';

const COMMANDS = [['serve'], ['migrate'], ['backup'], ['query'], ['tail'], ['export'], ['patterns'], ['funnel'], ['prune'], ['erase'], ['token'], ['token', 'rotate']];

await describe('session-log --help', { concurrency: true, timeout: 60_000 }, () => {
  it('lists every command and the exit codes', async () => {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    for (const [command] of COMMANDS) assert.match(stdout, new RegExp(`^  ${command ?? ''} `, 'm'));
    assert.match(stdout, /Exit codes:\n {2}0 {2}done\n {2}1 {2}failed.*\n {2}2 {2}bad usage.*\n {2}3 {2}not found.*\n {2}4 {2}unauthorized.*\n {2}5 {2}unavailable/);
  });

  it('explains each command, with its options, the connection options and an example', async () => {
    const helps = await Promise.all(COMMANDS.map((command) => runCli([...command, '--help'])));
    helps.forEach(({ code, stdout }, index) => {
      const command = (COMMANDS[index] ?? []).join(' ');
      assert.equal(code, 0, command);
      assert.match(stdout, new RegExp(`^Usage: session-log ${command} `), command);
      assert.match(stdout, /Global Options:[\s\S]*--url <url>[\s\S]*SESSION_LOG_URL/, command);
      if (command !== 'token') assert.match(stdout, /\nExamples?:\n {2}.*session-log /, command);
    });
  });

  it('--version is the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.deepEqual(await runCli(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('exits 2 with a one-line reason for no command or an unknown one', async () => {
    assert.equal((await runCli([])).code, 2);
    const unknown = await runCli(['qeury']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^session-log: unknown command 'qeury'\n\(Did you mean query\?\)\n$/);
  });
});
