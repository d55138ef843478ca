// Reading page after page while several instances keep writing: no row skipped, none repeated.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../helpers/each-engine.js';
import { readPage, startApp, type RunningApp } from '../helpers/test-app.js';

const WRITE_MS = 1500;
const MIN_WRITES = 60;

await describeEachEngine('pagination under concurrent writes', (engine) => {
  const apps: RunningApp[] = [];
  before(async () => {
    const database = await engine.createDatabase();
    // Several stateless instances share one PostgreSQL; SQLite is one process's file.
    const instances = engine.name === 'postgres' ? 3 : 1;
    for (let i = 0; i < instances; i += 1) apps.push(await startApp(database));
  });
  after(async () => {
    for (const app of apps) await app.close();
  });

  it('reads every event exactly once, in id order, while events keep arriving', async () => {
    const reader = apps[0]!;
    let writing = true;
    let written = 0;
    const writers = apps.flatMap((app, instance) =>
      Array.from({ length: 6 }, async (_, worker) => {
        while (writing) {
          const events = Array.from({ length: 1 + (written % 4) }, (_, k) => ({
            sessionToken: `ws_i${instance}_w${worker}`,
            eventType: 'action',
            eventData: { k },
          }));
          const status = (await app.post(events.length === 1 ? events[0] : { events })).status;
          // A refused write ends the writing, so that the reader stops and the test fails on it.
          if (status !== 200) writing = false;
          assert.equal(status, 200);
          written += events.length;
        }
      }),
    );
    // Write for WRITE_MS and at least MIN_WRITES events, however slow the machine is today.
    const stopWriting = (async () => {
      const started = Date.now();
      while (writing && (Date.now() - started < WRITE_MS || written < MIN_WRITES)) await sleep(20);
      writing = false;
    })();

    const seen: number[] = [];
    let cursor = '';
    let finalPass = false;
    for (;;) {
      const page = await readPage(await reader.get(`order=asc&limit=37${cursor === '' ? '' : `&cursor=${cursor}`}`));
      seen.push(...page.events.map((e) => e.event_id));
      cursor = page.nextCursor ?? cursor;
      if (page.hasMore) continue;
      if (finalPass) break;
      if (!writing) {
        await Promise.all(writers);
        finalPass = true;
      }
    }
    await stopWriting;

    const all: number[] = [];
    let allCursor = '';
    for (let hasMore = true; hasMore; ) {
      const page = await readPage(await reader.get(`order=asc&limit=1000${allCursor === '' ? '' : `&cursor=${allCursor}`}`));
      all.push(...page.events.map((e) => e.event_id));
      allCursor = page.nextCursor ?? '';
      hasMore = page.hasMore;
    }
    assert.equal(all.length, written);
    assert.ok(written >= MIN_WRITES, `enough concurrent writes (${written})`);
    assert.deepEqual(seen, all);
  });
});
