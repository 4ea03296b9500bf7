/**
 * The soak's steady stream of work on its projects: releases (most good, some failing), rollbacks and
 * cancels, and git pushes (git-pushes.ts: to main, to a feature branch, a branch deleted), one
 * operation every `intervalMs`, through the API as a client and a git host call it. An operation the API
 * refuses while a chaos step has it down (a 503, a refused connection) is counted, not retried.
 */
import { soakArchive } from './soak-app.ts';
import { soakBranches, type GitPushes } from './git-pushes.ts';

export interface DeployerStats {
  ops: Record<string, number>;
  refused: number;
  /** Every deployment the soak created (the log viewers follow them). */
  deployments: string[];
}

type Op = 'release' | 'failing release' | 'rollback' | 'cancel' | 'push' | 'branch push' | 'branch deleted';
const weighted: Op[] = ['release', 'release', 'release', 'release', 'failing release', 'rollback', 'cancel'];
const pushOps: Op[] = ['push', 'branch push', 'branch push', 'branch deleted'];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

export class Deployer {
  readonly stats: DeployerStats = { ops: {}, refused: 0, deployments: [] };
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
    readonly projects: readonly string[],
    private readonly pushes?: GitPushes,
  ) {}

  private async call(method: string, path: string, body?: FormData | object): Promise<any> {
    const json = body !== undefined && !(body instanceof FormData);
    const res = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(json ? { 'content-type': 'application/json' } : {}) },
      body: json ? JSON.stringify(body) : (body as FormData | undefined),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** A new release of `project` from a fresh archive; its deployment id. */
  async release(project: string, failing = false): Promise<string> {
    const form = new FormData();
    form.append('name', project);
    form.append('projectArchive', new Blob([new Uint8Array(await soakArchive({ failing }))]), 'app.zip');
    const { id } = (await this.call('POST', '/api/deployments', form)) as { id: string };
    this.stats.deployments.push(id);
    return id;
  }

  private async operate(op: Op, project: string): Promise<void> {
    if (op === 'push' || op === 'branch push' || op === 'branch deleted') return this.push(op);
    if (op === 'release' || op === 'failing release') await this.release(project, op === 'failing release');
    if (op === 'rollback') {
      const answer = (await this.call('POST', `/api/projects/${project}/rollback`, {})) as { id?: string };
      if (answer.id && !this.stats.deployments.includes(answer.id)) this.stats.deployments.push(answer.id);
    }
    if (op === 'cancel') {
      const id = await this.release(project);
      await new Promise((r) => setTimeout(r, Math.random() * 3000));
      await this.call('POST', `/api/deployments/${id}/cancel`).catch(() => {}); // 409 once it is running: fine
    }
  }

  private async push(op: Op): Promise<void> {
    const pushes = this.pushes!;
    if (op === 'branch deleted') return pushes.deleteBranch(pick(soakBranches));
    const id = await pushes.push(op === 'push' ? 'main' : pick(soakBranches), Math.random() < 0.15);
    if (id) this.stats.deployments.push(id);
  }

  /** The first release of every project, each awaited to be accepted. */
  async seed(): Promise<void> {
    for (const p of this.projects) await this.release(p);
  }

  start(intervalMs: number): void {
    this.loop = (async () => {
      while (!this.stopped) {
        await new Promise((r) => setTimeout(r, intervalMs * (0.5 + Math.random())));
        if (this.stopped) break;
        const op = pick(this.pushes ? [...weighted, ...pushOps] : weighted);
        const project = pick(this.projects);
        try {
          await this.operate(op, project);
          this.stats.ops[op] = (this.stats.ops[op] ?? 0) + 1;
        } catch {
          this.stats.refused++; // the API down, or a rollback with nothing to roll back to
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}
