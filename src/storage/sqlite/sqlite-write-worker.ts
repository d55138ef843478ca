// Worker thread entry: owns the write connection, so that inserts and their fsync run
// beside the event loop instead of blocking it. Requests that arrive while a commit
// runs are merged into the next transaction: one fsync for all of them.
import { parentPort, workerData } from 'node:worker_threads';
import { isTransientSqliteError, openSqliteConnection } from './sqlite-connection.js';
import { SqliteEventWriter } from './sqlite-event-writer.js';
import type { WriteReply, WriteRequest } from './sqlite-write-protocol.js';

type InsertRequest = Extract<WriteRequest, { kind: 'insert' }>;

/** Events per merged transaction, beyond which requests wait for the next one. */
const MAX_MERGED_EVENTS = 5000;

const port = parentPort;
if (port === null) throw new Error('sqlite-write-worker must run in a worker thread');

const database = openSqliteConnection((workerData as { file: string }).file);
const writer = new SqliteEventWriter(database);
const waiting: InsertRequest[] = [];
let scheduled = false;

port.on('message', (request: WriteRequest) => {
  if (request.kind === 'close') {
    database.close();
    port.close();
    return;
  }
  waiting.push(request);
  if (!scheduled) {
    scheduled = true;
    setImmediate(commitWaiting);
  }
});

function commitWaiting(): void {
  scheduled = false;
  while (waiting.length > 0) commit(takeMerged());
}

function takeMerged(): InsertRequest[] {
  let events = 0;
  let count = 0;
  while (count < waiting.length && (count === 0 || events + (waiting[count]?.events.length ?? 0) <= MAX_MERGED_EVENTS)) {
    events += waiting[count]?.events.length ?? 0;
    count += 1;
  }
  return waiting.splice(0, count);
}

/** All requests in one transaction; if that fails for a reason of its own, each alone. */
function commit(requests: InsertRequest[]): void {
  try {
    writer.insertEvents(requests.flatMap((request) => request.events));
    for (const request of requests) reply({ id: request.id });
  } catch (error) {
    if (requests.length > 1 && !isTransientSqliteError(error)) {
      for (const request of requests) commit([request]);
      return;
    }
    const { message, code } = error as { message?: string; code?: string };
    for (const request of requests) reply({ id: request.id, error: { message: message ?? String(error), code } });
  }
}

function reply(message: WriteReply): void {
  port?.postMessage(message);
}
