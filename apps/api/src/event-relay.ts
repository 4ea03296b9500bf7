import { decodeEvent, type BerthEvent } from '@berth/shared/events';
import { eventsChannel, tokensChannel } from '@berth/shared/redis-keys';
import type { Logger } from '@berth/shared/logger';
import type { Redis } from '@berth/shared/redis';

export type EventListener = (event: BerthEvent) => void;

/**
 * Relays the events channel (log batches and status changes alike): one Redis
 * subscription per API process, fanned out in memory to every viewer, per
 * deployment and to global listeners.
 */
export class EventRelay {
  private readonly byDeployment = new Map<string, Set<EventListener>>();
  private readonly global = new Set<EventListener>();
  private readonly revoked = new Set<(tokenId: string) => void>();
  private readonly ownersChanged = new Set<(userId: string) => void>();
  private readonly liveness = new Set<(live: boolean) => void>();
  private subscribed = false;

  constructor(
    private readonly subscriber: Redis,
    private readonly instance: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const tokens = tokensChannel(this.instance);
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel === tokens) return this.credentialNotice(raw);
      const event = decodeEvent(raw);
      if (!event) {
        this.logger.warn('ignoring malformed event on the events channel');
        return;
      }
      this.dispatch(event);
    });
    const channels = [eventsChannel(this.instance), tokens];
    // Notices sent while the connection is down are lost: until it is subscribed again, nothing may trust them.
    this.subscriber.on('close', () => this.setLive(false));
    this.subscriber.on('ready', () => {
      // ioredis subscribes again on its own; this one's answer comes after those (Redis answers in order).
      this.subscriber.subscribe(...channels).then(() => this.setLive(true), () => {});
    });
    await this.subscriber.subscribe(...channels);
    this.setLive(true);
  }

  /** Whether revocation notices arrive now (the subscription is up since the last `onLiveness(false)`). */
  get live(): boolean {
    return this.subscribed;
  }

  /** Calls `listener` when the subscription goes down (false) or is up again (true); returns the function that removes it. */
  onLiveness(listener: (live: boolean) => void): () => void {
    this.liveness.add(listener);
    return () => this.liveness.delete(listener);
  }

  /** Calls `listener` with the id of every person whose rights changed (disabled, roles, memberships) through any API process. */
  onOwnerChanged(listener: (userId: string) => void): () => void {
    this.ownersChanged.add(listener);
    return () => this.ownersChanged.delete(listener);
  }

  private setLive(live: boolean): void {
    if (this.subscribed === live) return;
    this.subscribed = live;
    for (const listener of this.liveness) listener(live);
  }

  /** `tok_…`: a token revoked; `user:usr_…`: a person's rights changed. Anything else is ignored. */
  private credentialNotice(raw: string): void {
    if (/^tok_[A-Za-z0-9_-]{1,64}$/.test(raw)) for (const listener of this.revoked) listener(raw);
    const owner = /^user:(usr_[A-Za-z0-9_-]{1,64})$/.exec(raw);
    if (owner) for (const listener of this.ownersChanged) listener(owner[1]!);
  }

  /** Returns the function that removes the listener. */
  subscribe(deploymentId: string | undefined, listener: EventListener): () => void {
    if (deploymentId === undefined) {
      this.global.add(listener);
      return () => this.global.delete(listener);
    }
    let set = this.byDeployment.get(deploymentId);
    if (!set) this.byDeployment.set(deploymentId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byDeployment.get(deploymentId) === set) this.byDeployment.delete(deploymentId);
    };
  }

  /** Calls `listener` with the id of every token revoked through any API process; returns the function that removes it. */
  onTokenRevoked(listener: (tokenId: string) => void): () => void {
    this.revoked.add(listener);
    return () => this.revoked.delete(listener);
  }

  /** Number of listeners (for leak checks in tests and metrics). */
  listenerCount(): number {
    let n = this.global.size;
    for (const set of this.byDeployment.values()) n += set.size;
    return n;
  }

  async close(): Promise<void> {
    this.byDeployment.clear();
    this.global.clear();
    this.revoked.clear();
    this.ownersChanged.clear();
    this.liveness.clear();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private dispatch(event: BerthEvent): void {
    const call = (listener: EventListener) => {
      try {
        listener(event);
      } catch (err) {
        this.logger.error({ err }, 'event listener failed');
      }
    };
    this.byDeployment.get(event.deploymentId)?.forEach(call);
    this.global.forEach(call);
  }
}
