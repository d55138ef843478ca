// Worker thread entry: owns the write connection, so that inserts and their fsync run
// beside the event loop instead of blocking it. Messages are handled in order, one
// transaction each, so a close always comes after the writes sent before it.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from './sqlite-connection.js';
import { SqliteEventWriter } from './sqlite-event-writer.js';
import type { WriteReply, WriteRequest } from './sqlite-write-protocol.js';

const port = parentPort;
if (port === null) throw new Error('sqlite-write-worker must run in a worker thread');

const database = openSqliteConnection((workerData as { file: string }).file);
const writer = new SqliteEventWriter(database);

port.on('message', (request: WriteRequest) => {
  if (request.kind === 'close') {
    database.close();
    port.close();
    return;
  }
  let reply: WriteReply;
  try {
    writer.insertEvents(request.events);
    reply = { id: request.id };
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    reply = { id: request.id, error: { message: message ?? String(error), code } };
  }
  port.postMessage(reply);
});
