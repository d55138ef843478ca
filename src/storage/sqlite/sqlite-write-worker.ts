// Worker thread entry: owns the write connection, so that inserts and their fsync run
// beside the event loop instead of blocking it. Messages are handled in order, so a close
// always comes after the writes sent before it.
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { isTransientSqliteError, openSqliteConnection } from './sqlite-connection.js';
import { SqliteEventWriter } from './sqlite-event-writer.js';
import type { WriteReply, WriteRequest } from './sqlite-write-protocol.js';

type InsertRequest = Extract<WriteRequest, { kind: 'insert' }>;

/**
 * Events of the writes waiting here that one transaction takes at most: every write
 * queued while the last transaction committed goes into the next, so the fsync and the
 * hot pages (each session's index tail, session_activity) are shared by as many events
 * as possible, up to a transaction that still commits in a few milliseconds.
 */
const MAX_MERGED_EVENTS = 2000;

const port = parentPort;
if (port === null) throw new Error('sqlite-write-worker must run in a worker thread');

const database = openSqliteConnection((workerData as { file: string }).file);
const writer = new SqliteEventWriter(database);

port.on('message', (first: WriteRequest) => {
  const { inserts, closing } = takeQueued(port, first);
  for (const reply of writeAll(inserts)) port.postMessage(reply);
  if (closing) {
    database.close();
    port.close();
  }
});

/** `first` and the writes queued behind it (up to MAX_MERGED_EVENTS), and whether a close came among them. */
function takeQueued(from: MessagePort, first: WriteRequest): { inserts: InsertRequest[]; closing: boolean } {
  if (first.kind === 'close') return { inserts: [], closing: true };
  const inserts = [first];
  let events = first.events.length;
  while (events < MAX_MERGED_EVENTS) {
    const next = receiveMessageOnPort(from)?.message as WriteRequest | undefined;
    if (next === undefined) break;
    if (next.kind === 'close') return { inserts, closing: true };
    inserts.push(next);
    events += next.events.length;
  }
  return { inserts, closing: false };
}

/**
 * The writes in one transaction. If it fails for a reason of its own, each is tried again
 * in its own, so that one bad write (which the main thread then splits further) cannot
 * sink the others; if the database is busy, full or read-only, they all get that answer
 * at once, as each alone would fail the same way, only later.
 */
function writeAll(inserts: readonly InsertRequest[]): WriteReply[] {
  if (inserts.length === 1) return inserts.map(writeOne);
  try {
    writer.insertEvents(inserts.flatMap((request) => request.events));
    return inserts.map((request) => ({ id: request.id }));
  } catch (error) {
    return isTransientSqliteError(error) ? inserts.map((request) => failure(request, error)) : inserts.map(writeOne);
  }
}

function writeOne(request: InsertRequest): WriteReply {
  try {
    writer.insertEvents(request.events);
    return { id: request.id };
  } catch (error) {
    return failure(request, error);
  }
}

function failure(request: InsertRequest, error: unknown): WriteReply {
  const { message, code } = error as { message?: string; code?: string };
  return { id: request.id, error: { message: message ?? String(error), code } };
}
