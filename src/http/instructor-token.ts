import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EventStore } from '../storage/types.js';

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/** How long an instance trusts the token it last read: a rotation reaches every instance within this. */
const RECHECK_MS = 1000;

/**
 * The instructor token in force. The database keeps its digest, so that a rotation on one
 * instance holds on all of them; until the first start records it, the configured token
 * is the one. Tokens are compared as SHA-256 digests: in constant time, whatever their
 * length or content.
 */
export class InstructorToken {
  private readonly configured: string;
  private known: { digest: string; at: number } | null = null;
  private reconciled: Promise<void> | null = null;

  constructor(
    configuredToken: string,
    private readonly store: EventStore,
    private readonly now: () => number = Date.now,
  ) {
    this.configured = digest(configuredToken);
  }

  async matches(presented: string): Promise<boolean> {
    const expected = Buffer.from(await this.current(), 'hex');
    return timingSafeEqual(Buffer.from(digest(presented), 'hex'), expected);
  }

  /**
   * Once per process, before the first check: a configured token that changed since it was
   * recorded (the operator set a new one) takes over from whatever was in force, a rotated
   * one included. Every instance must be configured with the same token.
   */
  private reconcile(): Promise<void> {
    this.reconciled ??= (async () => {
      const stored = await this.store.readCredentials();
      if (stored?.configuredDigest === this.configured) return;
      await this.store.writeCredentials({ tokenDigest: this.configured, configuredDigest: this.configured }, false);
    })().catch((error: unknown) => {
      this.reconciled = null;
      throw error;
    });
    return this.reconciled;
  }

  /** A new token, in force on every instance within a second; every dashboard sign-in ends. Shown once, to the caller. */
  async rotate(): Promise<string> {
    await this.reconcile();
    const token = `slk_${randomBytes(24).toString('base64url')}`;
    const configuredDigest = (await this.store.readCredentials())?.configuredDigest ?? this.configured;
    await this.store.writeCredentials({ tokenDigest: digest(token), configuredDigest }, true);
    this.known = { digest: digest(token), at: this.now() };
    return token;
  }

  private async current(): Promise<string> {
    if (this.known !== null && this.now() - this.known.at < RECHECK_MS) return this.known.digest;
    await this.reconcile();
    const stored = await this.store.readCredentials();
    this.known = { digest: stored?.tokenDigest ?? this.configured, at: this.now() };
    return this.known.digest;
  }
}
