import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { InProcessChangeChannel } from '../in-process-change-channel.js';
import type { ChangeChannel, ChangeTopic } from '../types.js';

/** The NOTIFY channel; its payload is the announcing instance's id and the topics, nothing of the rows. */
const CHANNEL = 'session_log_events';
const TOPICS: readonly ChangeTopic[] = ['events', 'alerts'];
/** At most one NOTIFY per this many milliseconds from one instance: a burst is one word. */
const ANNOUNCE_EVERY_MS = 10;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;

export interface PostgresChangeChannelOptions {
  /** A failure of the listening connection (it reconnects by itself). */
  onError?: (error: Error) => void;
  connectTimeoutMs?: number;
}

/**
 * LISTEN/NOTIFY between the instances sharing one PostgreSQL. NOTIFY is sent after the
 * commit, on its own and at most every 10 ms, never inside the writers' transactions
 * (PostgreSQL serialises the commits of notifying transactions). The listening
 * connection is opened with the first listener and re-opened after a failure or a server
 * restart; listeners are then woken, as word may have been lost meanwhile.
 */
export class PostgresChangeChannel implements ChangeChannel {
  private readonly instance = randomUUID();
  /** This instance's listeners, by topic. */
  private readonly local = new InProcessChangeChannel();
  /** Topics announced here since the last NOTIFY. */
  private readonly unsent = new Set<ChangeTopic>();
  private client: pg.Client | null = null;
  private reconnectDelay = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private announceTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
    private readonly options: PostgresChangeChannelOptions = {},
  ) {}

  announce(topic: ChangeTopic): void {
    this.local.announce(topic);
    this.unsent.add(topic);
    if (this.announceTimer !== null || this.closed) return;
    this.announceTimer = setTimeout(() => {
      this.announceTimer = null;
      const payload = `${this.instance} ${[...this.unsent].join(' ')}`;
      this.unsent.clear();
      // Lost word is made up for by the listeners' own polling; a failure here is not the writer's.
      this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch((error: unknown) => this.options.onError?.(error as Error));
    }, ANNOUNCE_EVERY_MS);
  }

  listen(topic: ChangeTopic, listener: () => void): () => void {
    const stop = this.local.listen(topic, listener);
    if (this.client === null && this.reconnectTimer === null) this.connect();
    return stop;
  }

  /** Stops listening and announcing. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    if (this.announceTimer !== null) clearTimeout(this.announceTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private wakeAll(): void {
    for (const topic of TOPICS) this.local.announce(topic);
  }

  private connect(): void {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 3000,
      keepAlive: true,
      application_name: 'session-log listener',
    });
    this.client = client;
    client.on('notification', (message) => {
      const [instance, ...topics] = (message.payload ?? '').split(' ');
      if (instance === this.instance) return;
      for (const topic of TOPICS) if (topics.includes(topic)) this.local.announce(topic);
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      if (error !== undefined) this.options.onError?.(error);
      this.client = null;
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client
      .connect()
      .then(() => client.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        this.reconnectDelay = RECONNECT_MIN_MS;
        // Whatever was stored while nobody here listened is read now.
        this.wakeAll();
      })
      .catch(lost);
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer !== null) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, this.reconnectDelay);
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }
}
