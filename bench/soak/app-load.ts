/**
 * A keep-alive HTTP load on the soak's apps through Caddy: `clients` loops, each on its own
 * keep-alive agent, asking a random project's URL. A project's requests count from its first answer
 * (before it, no release of it was live yet); after that, every answer that is not a 2xx is a failed
 * request, which the invariants then hold against the excuse windows.
 */
import http from 'node:http';
import type { FailedRequest } from './invariants-runtime.ts';

export class AppLoad {
  requests = 0;
  /** Requests sent again after a kept-alive connection closed under them. */
  resent = 0;
  readonly failed: FailedRequest[] = [];
  private readonly answered = new Set<string>();
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly caddyUrl: string,
    private readonly baseDomain: string,
    private readonly projects: readonly string[],
  ) {}

  /** Its status, or 0 and why it got none. */
  private get(agent: http.Agent, project: string): Promise<{ status: number; error?: string; reused?: boolean }> {
    return new Promise((resolve) => {
      const req = http.get(`${this.caddyUrl}/`, { agent, headers: { host: `${project}.${this.baseDomain}` }, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, error: err.code ?? err.message }));
      });
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, error: err.code ?? err.message, reused: req.reusedSocket }));
      req.on('timeout', () => req.destroy(new Error('timeout')));
    });
  }

  /**
   * One request; sent again once when the server closed a kept-alive connection as it went out (the race
   * every keep-alive client has, and that browsers retry for an idempotent request: Node's docs say so too).
   */
  private async ask(agent: http.Agent, project: string) {
    const first = await this.get(agent, project);
    if (!(first.reused && (first.error === 'ECONNRESET' || first.error === 'EPIPE'))) return first;
    this.resent++;
    return this.get(agent, project);
  }

  private async client(): Promise<void> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (!this.stopped) {
      const project = this.projects[Math.floor(Math.random() * this.projects.length)]!;
      const at = Date.now();
      const { status, error } = await this.ask(agent, project);
      const ok = status >= 200 && status < 300;
      if (ok) this.answered.add(project);
      if (this.answered.has(project)) {
        this.requests++;
        if (!ok) this.failed.push({ project, at, endedAt: Date.now(), status, ...(error ? { error } : {}) });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    agent.destroy();
  }

  start(clients: number): void {
    this.loops = Array.from({ length: clients }, () => this.client());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }
}
