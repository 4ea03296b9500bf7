import path from 'node:path';
import type { ProcessSpec } from './process-supervisor.ts';

/** Where the programs are (the repository's root) and how to run them. */
export interface ProgramsContext {
  root: string;
  /** The Node binary that runs the compiled programs (the supervisor's own). */
  node: string;
  /** The environment every program gets (the supervisor's). */
  env: Readonly<Record<string, string | undefined>>;
  caddyHttpPort: number;
}

/** Worker `n` (1-based): its name is `worker-<n>` in its logs, its log file and `GET /api/workers`. */
export function workerProgram(ctx: ProgramsContext, n: number): ProcessSpec {
  return {
    name: `worker-${n}`,
    group: 'worker',
    command: ctx.node,
    args: [path.join(ctx.root, 'apps/worker/dist/main.js')],
    env: { ...ctx.env, WORKER_NAME: `worker-${n}` },
  };
}

/** Caddy with Berth's Caddyfile (router-sync loads the full config into it). */
export function caddyProgram(ctx: ProgramsContext): ProcessSpec {
  return {
    name: 'caddy',
    group: 'caddy',
    command: 'caddy',
    args: ['run', '--adapter', 'caddyfile', '--config', path.join(ctx.root, 'Caddyfile')],
    // The Caddyfile takes the port with its colon.
    env: { ...ctx.env, CADDY_HTTP_PORT: `:${ctx.caddyHttpPort}` },
  };
}

/** The platform's processes in start order: (Caddy,) the API, the workers, router-sync. */
export function platformPrograms(ctx: ProgramsContext, options: { workers: number; caddy: boolean }): ProcessSpec[] {
  const compiled = (name: string): ProcessSpec => ({
    name,
    group: name,
    command: ctx.node,
    args: [path.join(ctx.root, `apps/${name}/dist/main.js`)],
    env: ctx.env,
  });
  return [
    ...(options.caddy ? [caddyProgram(ctx)] : []),
    compiled('api'),
    ...Array.from({ length: options.workers }, (_, i) => workerProgram(ctx, i + 1)),
    compiled('router-sync'),
  ];
}
