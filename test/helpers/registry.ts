import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './ports.ts';

export interface TestRegistry {
  address: string;
  stop(): Promise<void>;
}

/** Debian's docker-registry (Distribution 2.8) on a free 127.0.0.1 port, storage in a temporary directory. */
export async function startRegistry(): Promise<TestRegistry> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-registry-'));
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'log: { level: warn }', 'storage:', `  filesystem: { rootdirectory: ${dir}/data }`, 'http:', `  addr: 127.0.0.1:${port}`, ''].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${port}`;
  await waitFor('the registry', async () => (await fetch(`http://${address}/v2/`)).ok, 20_000, 100);
  return {
    address,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
