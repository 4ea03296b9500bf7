/**
 * Log viewers as a browser's EventSource behaves: each follows one of the soak's deployments
 * (`/events?follow=runtime`), drops the connection after a random few seconds (or when the API dies
 * under it), and reconnects with `since=` its last seq, or moves to another deployment from its start.
 * Each checks that every line it receives has the seq after the one before: a line lost, repeated or
 * reordered across reconnects is a fault (invariants-runtime.ts: viewersInOrder).
 */
import { explainsGap } from './invariants.ts';

export class LogViewers {
  lines = 0;
  connects = 0;
  readonly faults: string[] = [];
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
    private readonly deployments: () => readonly string[],
  ) {}

  /** Reads one connection for up to `forMs`; returns the last seq seen. */
  private async watch(id: string, since: number, forMs: number): Promise<number> {
    let last = since;
    const abort = AbortSignal.timeout(forMs);
    try {
      const res = await fetch(`${this.apiUrl}/api/deployments/${id}/events?follow=runtime&since=${since}`, {
        headers: { authorization: `Bearer ${this.token}` },
        signal: abort,
      });
      this.connects++;
      let buffered = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += Buffer.from(chunk).toString();
        const events = buffered.split('\n\n');
        buffered = events.pop()!;
        for (const event of events) last = this.take(id, event, last);
      }
    } catch {
      // the timeout we set, or the API gone under us: reconnect from `last`
    }
    return last;
  }

  /** One SSE event: a log line must carry the seq after `last`. */
  private take(id: string, event: string, last: number): number {
    if (!event.startsWith('event: log')) return last;
    const data = event.split('\n').find((l) => l.startsWith('data: '));
    const { seq, line } = JSON.parse(data!.slice(6)) as { seq: number; line: string };
    this.lines++;
    // Past a gap of seqs a killed worker reserved (invariants.ts: explainsGap): counted, not a fault.
    if (seq !== last + 1 && !(seq > last && explainsGap(line))) this.faults.push(`${id}: ${seq} after ${last}`);
    return seq;
  }

  private async viewer(): Promise<void> {
    let id: string | undefined;
    let since = 0;
    while (!this.stopped) {
      const known = this.deployments();
      if (!id || Math.random() < 0.3) {
        id = known[Math.floor(Math.random() * known.length)];
        since = 0;
      }
      if (!id) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      since = await this.watch(id, since, Math.round(1000 + Math.random() * 6000));
    }
  }

  start(viewers: number): void {
    this.loops = Array.from({ length: viewers }, () => this.viewer());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }
}
