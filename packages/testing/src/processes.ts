import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './paths.ts';
import { freePort, waitFor } from './ports.ts';

const root = repoRoot;

export interface Program {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

const started = new Set<ChildProcess>();

/** SIGKILLs every program startProgram started that still runs (a test that failed before stopping its own: cold27 left a worker running for hours). */
export function killStartedPrograms(): void {
  for (const child of started) child.kill('SIGKILL');
}

/**
 * One of Berth's programs as a real process (its own main.ts), for kill and shutdown tests; `compiled`:
 * its dist/main.js instead, as `npm run up` runs it (needs `npm run build` first).
 */
export function startProgram(program: 'api' | 'worker' | 'router-sync', env: Record<string, string>, options: { compiled?: boolean } = {}): Program {
  const args = options.compiled ? [`apps/${program}/dist/main.js`] : ['--conditions=@berth/source', '--import', 'tsx', `apps/${program}/src/main.ts`];
  const child = spawn('node', args, {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

export interface PrivateRedis {
  url: string;
  /** SIGKILL and start again on the same port: everything in memory is gone. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of the test's own on a free loopback port (no persistence). */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess;
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], {
      stdio: 'ignore',
    });
    await waitFor('private redis', async () => {
      const net = await import('node:net');
      return new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
    });
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart(downMs = 500) {
      await kill();
      await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    stop: kill,
  };
}

/** `npm run berth -- <args>` as an operator runs it on the platform's machine (scripts/berth.sh runs the same file), with `env` over this process's. */
export function runOperatorCli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined));
  return new Promise((resolve) => {
    const child = spawn('node', ['apps/cli/bin/berth.mjs', ...args], { cwd: root, env: merged });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}
