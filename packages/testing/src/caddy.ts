import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './ports.ts';

export interface TestCaddy {
  adminUrl: string;
  adminListen: string;
  httpPort: number;
  /** A free port for router-sync's HTTPS server (custom domains); nothing listens until it configures one. */
  httpsPort: number;
  /** Stops Caddy (SIGKILL when `crash`) and starts it again with the bare config. */
  restart(options?: { crash?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** A private Caddy on free loopback ports, started with an admin-only config. */
export async function startCaddy(): Promise<TestCaddy> {
  // Three different ports: a port just freed can be handed out again (a cold run got httpPort === httpsPort).
  const [adminPort, httpPort, httpsPort] = (await distinctFreePorts(3)) as [number, number, number];
  const adminListen = `127.0.0.1:${adminPort}`;
  const adminUrl = `http://${adminListen}`;
  const configFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'berth-caddy-')), 'caddy.json');
  writeFileSync(configFile, JSON.stringify({ admin: { listen: adminListen } }));
  let child: ChildProcess;

  const launch = async () => {
    child = spawn('caddy', ['run', '--config', configFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, HOME: path.dirname(configFile), XDG_DATA_HOME: path.dirname(configFile) },
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    await waitFor(`caddy admin at ${adminUrl} (${stderr})`, async () => (await fetch(`${adminUrl}/config/`)).ok, 15_000);
  };
  const halt = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  await launch();
  return {
    adminUrl,
    adminListen,
    httpPort,
    httpsPort,
    async restart(options = {}) {
      await halt(options.crash ? 'SIGKILL' : 'SIGTERM');
      await launch();
    },
    stop: () => halt('SIGTERM'),
  };
}

/** `n` free ports, no two the same. */
async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}
