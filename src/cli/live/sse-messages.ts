/** One Server-Sent Events message. */
export interface SseMessage {
  /** `message` when the server named none. */
  event: string;
  data: string;
  /** Its `id:` field, when it had one: where to resume after it. */
  id: string | undefined;
}

/**
 * The messages of an SSE response body, as they arrive (comments and heartbeats skipped).
 * Ends when the body ends; throws if the connection is cut.
 *
 * @example for await (const message of sseMessages(response.body)) if (message.event === 'event') show(message.data);
 */
export async function* sseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  let buffer = '';
  let message: { event: string; data: string[]; id: string | undefined } = { event: '', data: [], id: undefined };
  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') {
        if (message.data.length > 0 || message.event !== '') yield { event: message.event || 'message', data: message.data.join('\n'), id: message.id };
        message = { event: '', data: [], id: undefined };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') message.event = value;
      else if (field === 'data') message.data.push(value);
      else if (field === 'id') message.id = value;
    }
  }
}
