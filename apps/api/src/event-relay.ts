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

  constructor(
    private readonly subscriber: Redis,
    private readonly instance: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const tokens = tokensChannel(this.instance);
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel === tokens) {
        if (/^tok_[A-Za-z0-9_-]{1,64}$/.test(raw)) for (const listener of this.revoked) listener(raw);
        return;
      }
      const event = decodeEvent(raw);
      if (!event) {
        this.logger.warn('ignoring malformed event on the events channel');
        return;
      }
      this.dispatch(event);
    });
    await this.subscriber.subscribe(eventsChannel(this.instance), tokens);
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
