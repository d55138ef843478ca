import WebSocket from 'ws';
import type { StoredEvent } from '../../src/storage/types.js';
import { ADMIN_TOKEN } from './test-app.js';

/** One message of a live stream, as a client reads it. */
export interface LiveMessage {
  type: string;
  cursor?: string;
  event?: StoredEvent;
  error?: { code: string; message: string };
}

/** A live-stream client under test: what it received so far, and a way to wait for more. */
export interface LiveClient {
  readonly messages: LiveMessage[];
  /** Resolves once `count` messages matching `predicate` have arrived (rejects after `timeoutMs`). */
  waitFor(predicate: (message: LiveMessage) => boolean, count?: number, timeoutMs?: number): Promise<LiveMessage[]>;
  /** Resolves when the server has ended the stream. */
  ended(): Promise<void>;
  close(): void;
}

const events = (messages: LiveMessage[]) => messages.filter((m) => m.type === 'event').map((m) => m.event!);
export const receivedEvents = (client: LiveClient): StoredEvent[] => events(client.messages);

function liveClient(close: () => void, ended: Promise<void>) {
  const messages: LiveMessage[] = [];
  const waiters = new Set<() => void>();
  const client: LiveClient = {
    messages,
    waitFor(predicate, count = 1, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.filter(predicate);
          if (found.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for ${count} messages; have ${JSON.stringify(messages.map((m) => m.type))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    ended: () => ended,
    close,
  };
  const receive = (message: LiveMessage) => {
    messages.push(message);
    for (const waiter of [...waiters]) waiter();
  };
  return { client, receive };
}

/** GET /api/session-log/stream as a client reads Server-Sent Events (query: the filters). */
export async function openSse(baseUrl: string, query = '', headers: Record<string, string> = {}): Promise<LiveClient> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/session-log/stream${query === '' ? '' : `?${query}`}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
    signal: abort.signal,
  });
  if (response.status !== 200 || response.body === null) throw new Error(`stream refused: ${response.status} ${await response.text()}`);
  let finish = () => {};
  const ended = new Promise<void>((resolve) => (finish = resolve));
  const { client, receive } = liveClient(() => abort.abort(), ended);
  void (async () => {
    let buffer = '';
    try {
      for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message = parseSse(block);
          if (message !== null) receive(message);
        }
      }
    } catch {
      // Aborted by the test.
    }
    finish();
  })();
  return client;
}

function parseSse(block: string): LiveMessage | null {
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
  }
  const type = fields.get('event');
  const data = fields.get('data');
  if (type === undefined || data === undefined) return null;
  const parsed = JSON.parse(data) as Record<string, unknown>;
  if (type === 'event') return { type, cursor: fields.get('id'), event: parsed as unknown as StoredEvent };
  if (type === 'end') return { type, error: parsed as LiveMessage['error'] };
  return { type, cursor: fields.get('id'), ...parsed };
}

/** GET /api/session-log/ws; `send` a subscribe message through `socket`. */
export async function openWebSocket(baseUrl: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/session-log/ws`, { headers });
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const { client, receive } = liveClient(() => socket.terminate(), ended);
  socket.on('message', (data: Buffer) => receive(JSON.parse(data.toString()) as LiveMessage));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    socket.once('error', reject);
  });
  return { client, send: (message: unknown) => socket.send(JSON.stringify(message)), socket };
}
