// The commands that delete or replace: `erase` (asks first), `prune` (retention now) and
// `token rotate` (the token goes to a file, never to the screen).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { insertAt } from '../helpers/insert-at.js';
import { runCli } from './helpers/cli.js';
import { runInPty } from './helpers/pty.js';
import { startService, TOKEN, type Service } from './helpers/service.js';

/** How many events match `filters`, asked of the API directly (cheaper than a CLI run; `query` has its own tests). */
async function count(running: Service, filters: Record<string, string> = {}): Promise<number> {
  const query = new URLSearchParams({ ...filters, limit: '1000' });
  const response = await fetch(`${running.url}/api/session-log?${query.toString()}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(response.status, 200);
  return ((await response.json()) as { count: number }).count;
}

const student = (email: string, events: number) =>
  Array.from({ length: events }, (_, index) => ({ sessionToken: `ws_${email}_${index % 2}`, studentEmail: email, eventType: 'action', eventData: { index } }));

await describe('erase, prune and token rotate', { concurrency: true, timeout: 60_000 }, async () => {
  // A service each (a rotation would lock the others out; retention has its own setting), started at once.
  const [running, retained, rotating] = await Promise.all([startService({ RETENTION_DAYS: '0' }), startService({ RETENTION_DAYS: '30' }), startService()]);
  // In the suite: node 20 runs a file's top-level after() once its first suite ends.
  after(() => Promise.all([running, retained, rotating].map((each) => each.stop())));
  await running.post([...student('ada@example.edu', 4), ...student('grace@example.edu', 3), ...student('alan@example.edu', 2), ...student('edsger@example.edu', 2)]);

  describe('session-log erase', { concurrency: true }, () => {
    it('with --yes erases a student and prints what went', async () => {
      const { code, stdout, stderr } = await runCli(['erase', '--email', 'ada@example.edu', '--yes'], running.env);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^erased student ada@example\.edu: 4 events, 2 sessions, 1 student, \d+ step stays, 0 alerts\n$/);
      assert.equal(await count(running, { studentEmail: 'ada@example.edu' }), 0);
      assert.equal(await count(running, { sessionToken: 'ws_ada@example.edu_0' }), 0);
    });

    it('erases one session, and only it; --json gives the counts to a script', async () => {
      const { code, stdout } = await runCli(['erase', '--session', 'ws_grace@example.edu_0', '--yes', '--json'], running.env);
      assert.equal(code, 0);
      assert.equal(await count(running, { sessionToken: 'ws_grace@example.edu_0' }), 0);
      assert.equal(await count(running, { sessionToken: 'ws_grace@example.edu_1' }), 1, "the student's other session stays");
      assert.equal((JSON.parse(stdout) as { deleted: { events: number } }).deleted.events, 2);
    });

    it('exits 3 for a student or session it does not know, 2 for an email that is not one', async () => {
      const unknown = await runCli(['erase', '--email', 'nobody@example.edu', '--yes'], running.env);
      assert.equal(unknown.code, 3);
      assert.match(unknown.stderr, /^session-log: 404 not_found: /);
      assert.equal((await runCli(['erase', '--session', 'ws_nobody', '--yes'], running.env)).code, 3);
      assert.equal((await runCli(['erase', '--email', 'not-an-email', '--yes'], running.env)).code, 2);
    });

    it('refuses without a terminal to ask on and without --yes, and with both or neither target', async () => {
      for (const args of [['erase', '--email', 'alan@example.edu'], ['erase', '--yes'], ['erase', '--email', 'alan@example.edu', '--session', 'ws_x', '--yes']]) {
        const { code, stderr } = await runCli(args, running.env);
        assert.equal(code, 2, stderr);
      }
      assert.equal(await count(running, { studentEmail: 'alan@example.edu' }), 2, 'nothing erased');
    });

    it('on a terminal, asks first: "n" keeps everything, "y" erases', async () => {
      const kept = await runInPty(['erase', '--email', 'edsger@example.edu'], { env: running.env, answer: { after: '[y/N]', send: 'n\r' } });
      assert.equal(kept.code, 1);
      assert.match(kept.output, /Erase everything known of student edsger@example\.edu\? This cannot be undone\. \[y\/N\] n\nsession-log: not confirmed: nothing erased\n/);
      assert.equal(await count(running, { studentEmail: 'edsger@example.edu' }), 2);
      const erased = await runInPty(['erase', '--email', 'edsger@example.edu'], { env: running.env, answer: { after: '[y/N]', send: 'y\r' } });
      assert.equal(erased.code, 0, erased.output);
      assert.match(erased.output, /erased student edsger@example\.edu: 2 events/);
      assert.equal(await count(running, { studentEmail: 'edsger@example.edu' }), 0);
    });
  });

  describe('session-log prune', () => {
    it('--dry-run counts what is past the retention period; prune deletes it, and only it', async () => {
      const old = new Date(Date.now() - 40 * 86_400_000);
      await insertAt(`sqlite:${path.join(retained.dir, 'x.db')}`, Array.from({ length: 5 }, (_, index) => ({ sessionToken: 'ws_old', eventType: 'action', eventData: { index }, at: old })));
      await retained.post(student('new@example.edu', 2));

      const dry = await runCli(['prune', '--dry-run'], retained.env);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /^would delete 5 events created before \S+ \(retention: 30 days\)\n$/);
      assert.equal(await count(retained), 7);

      const run = await runCli(['prune'], retained.env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^deleted 5 events created before /);
      assert.equal(await count(retained), 2);
      const json = JSON.parse((await runCli(['prune', '--json'], retained.env)).stdout) as { events: number; retentionDays: number; dryRun: boolean };
      assert.deepEqual([json.events, json.retentionDays, json.dryRun], [0, 30, false]);
    });

    it('says so when the service keeps everything', async () => {
      const { code, stdout } = await runCli(['prune'], running.env);
      assert.equal(code, 0);
      assert.equal(stdout, 'retention is off (events are kept forever): nothing to delete\n');
    });
  });

  describe('session-log token rotate', { concurrency: false }, () => {
    it('does not rotate when the file cannot be written, and needs --save', async () => {
      const { code, stderr } = await runCli(['token', 'rotate', '--save', path.join(rotating.dir, 'no-such-dir', 'token')], rotating.env);
      assert.equal(code, 2);
      assert.match(stderr, /^session-log: --save: cannot write .*: ENOENT; the token was not rotated\n$/);
      assert.equal((await runCli(['query', '--limit', '1'], rotating.env)).code, 0, 'the token still works');
      assert.equal((await runCli(['token', 'rotate'], rotating.env)).code, 2);
    });

    it('saves the new token to a file only its owner reads, prints neither token, and the old one stops working', async () => {
      const file = path.join(rotating.dir, 'new-token');
      const { code, stdout, stderr } = await runCli(['token', 'rotate', '--save', file], rotating.env);
      assert.equal(code, 0, stderr);
      const token = fs.readFileSync(file, 'utf8').trim();
      assert.ok(token.length >= 16);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(stdout, `new instructor token saved to ${file}; the old one no longer works\n`);
      assert.ok(!`${stdout}${stderr}`.includes(token) && !`${stdout}${stderr}`.includes(TOKEN));
      assert.deepEqual(fs.readdirSync(rotating.dir).filter((name) => name.endsWith('.part')), []);

      assert.equal((await runCli(['query'], rotating.env)).code, 4, 'the old token is refused');
      const withFile = await runCli(['query', '--token-file', file], { SESSION_LOG_URL: rotating.url });
      assert.equal(withFile.code, 0, withFile.stderr);
    });
  });
});
