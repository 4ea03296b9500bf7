import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './ports.ts';

export interface TestRegistry {
  address: string;
  stop(): Promise<void>;
}

/**
 * Debian's docker-registry (Distribution 2.8) on a free 127.0.0.1 port, storage in a temporary directory.
 * `htpasswd`: the content of an htpasswd file (bcrypt entries) to require basic auth.
 * `allowDeletes: false`: a registry that refuses manifest deletes (405), as Distribution does by default.
 */
export async function startRegistry(options: { htpasswd?: string; allowDeletes?: boolean } = {}): Promise<TestRegistry> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-registry-'));
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: { level: warn }',
      'storage:',
      `  filesystem: { rootdirectory: ${dir}/data }`,
      // The reaper deletes a reaped deployment's copy (issue 24, door 3), as scripts/lib/swarm.sh's registry allows.
      ...(options.allowDeletes === false ? [] : ['  delete: { enabled: true }']),
      'http:',
      `  addr: 127.0.0.1:${port}`,
      ...(options.htpasswd ? ['auth:', `  htpasswd: { realm: berth-test, path: ${dir}/htpasswd }`] : []),
      '',
    ].join('\n'),
  );
  if (options.htpasswd) writeFileSync(path.join(dir, 'htpasswd'), options.htpasswd, { mode: 0o600 });
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${port}`;
  // 401 when it asks for credentials: it is up.
  await waitFor('the registry', async () => [200, 401].includes((await fetch(`http://${address}/v2/`)).status), 20_000, 100);
  return {
    address,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
