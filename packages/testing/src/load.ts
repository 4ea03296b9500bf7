import http from 'node:http';

/** One request of a steady load: when it started and ended (ms, performance.now()), and what came back. */
export interface LoadSample {
  start: number;
  end: number;
  status: number;
  body: string;
  error?: string;
  /** Sent again on a new connection: the kept-alive one was closed under it before any answer. */
  retried?: boolean;
}

/**
 * A steady load on one URL: `concurrency` clients, each sending its next
 * request as soon as the last one answered, over kept-alive connections (as
 * browsers do: a reused connection is where a proxy switch shows its seams).
 *
 * Like browsers, curl and Go's client, a GET whose connection was closed
 * before any answer came is sent once more on a new connection: RFC 9110
 * §9.2.2 allows it for idempotent requests, and HTTP/1.1 lets a server close
 * an idle connection at any time (a proxy reload does). That is counted
 * (`retried`); any other failure, and a second one, is an error.
 */
export class SteadyLoad {
  readonly samples: LoadSample[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly agent: http.Agent;

  constructor(
    private readonly url: string,
    private readonly host: string,
    /** resend: false counts a request whose kept-alive connection was closed under it as failed (a client that never resends). */
    private readonly options: { concurrency?: number; pauseMs?: number; resend?: boolean } = {},
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency ?? 4 });
  }

  start(): void {
    this.running = true;
    for (let i = 0; i < (this.options.concurrency ?? 4); i++) this.loops.push(this.loop());
  }

  async stop(): Promise<LoadSample[]> {
    this.running = false;
    await Promise.all(this.loops);
    this.agent.destroy();
    return this.samples;
  }

  /** The newest answer's body (what the URL serves now). */
  latest(): string | undefined {
    return this.samples.at(-1)?.body;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.samples.push(await this.once());
      if (this.options.pauseMs) await new Promise((r) => setTimeout(r, this.options.pauseMs));
    }
  }

  private async once(): Promise<LoadSample> {
    const start = performance.now();
    const first = await this.send(this.agent);
    if (!first.staleConnection || this.options.resend === false) return { start, ...first.sample };
    const again = await this.send(false); // a new connection, not another kept-alive one of the pool

    return { start, ...again.sample, retried: true };
  }

  private send(agent: http.Agent | false): Promise<{ sample: Omit<LoadSample, 'start'>; staleConnection: boolean }> {
    return new Promise((resolve) => {
      let answered = false;
      const req = http.request(this.url, { headers: { host: this.host }, agent, timeout: 10_000 }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ sample: { end: performance.now(), status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }, staleConnection: false }),
        );
        res.on('error', (err) => resolve({ sample: { end: performance.now(), status: 0, body: '', error: err.message }, staleConnection: false }));
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err: NodeJS.ErrnoException) => {
        const stale = !answered && (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.message === 'socket hang up');
        resolve({ sample: { end: performance.now(), status: 0, body: '', error: err.message }, staleConnection: stale });
      });
      req.end();
    });
  }
}

/** Percentile (0–100) of the values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
