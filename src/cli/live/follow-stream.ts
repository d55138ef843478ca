import { CliError, ExitCode } from '../exit-codes.js';
import { networkProblem, type ApiClient } from '../http-client.js';
import type { StoredEvent } from '../output/event-output.js';
import { reconnecting } from './reconnection.js';
import { sseMessages } from './sse-messages.js';

export interface FollowHandlers {
  event: (event: StoredEvent) => Promise<void>;
  /** The first time the stream is open: from now on every new event is shown. */
  following: () => void;
  /** Lost the service, or found it again. */
  notice: (text: string) => void;
}

const STREAM_PATH = '/api/session-log/stream';

/**
 * Follows GET /api/session-log/stream until stopped. When the stream ends or breaks it
 * reconnects with the last id seen (Last-Event-ID): nothing missed, nothing twice.
 * Resolves only if the service has no stream route (an older one: poll instead); the
 * first connection's failure, or a refusal (401, 400), is thrown.
 */
export async function followStream(client: ApiClient, filters: URLSearchParams, handlers: FollowHandlers): Promise<'no-stream'> {
  const reconnection = reconnecting(handlers.notice);
  let lastId: string | undefined;
  let opened = false;
  for (;;) {
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (lastId !== undefined) headers['last-event-id'] = lastId;
      const response = await client.open('GET', STREAM_PATH, { query: filters, headers });
      for await (const message of sseMessages(response.body ?? new ReadableStream())) {
        if (message.id !== undefined) lastId = message.id;
        if (message.event === 'ready') {
          if (!opened) handlers.following();
          opened = true;
          reconnection.succeeded();
        } else if (message.event === 'event') {
          await handlers.event(JSON.parse(message.data) as StoredEvent);
        } else if (message.event === 'end') {
          throw new Error(`the stream ended: ${endReason(message.data)}`);
        }
      }
      throw new Error('the stream closed');
    } catch (error) {
      if (!opened && error instanceof CliError && error.status === 404) return 'no-stream';
      if (!opened) throw error instanceof CliError ? error : new CliError(`the live stream broke as it opened: ${networkProblem(error)}`, ExitCode.unavailable);
      await reconnection.failed(error);
    }
  }
}

/** An `end` message's data, `{code, message}`, as words. */
function endReason(data: string): string {
  try {
    const { code, message } = JSON.parse(data) as { code?: string; message?: string };
    return [code, message].filter(Boolean).join(': ') || 'no reason given';
  } catch {
    return data;
  }
}
