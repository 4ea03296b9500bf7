import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb } from '@berth/shared/db';
import { migrateToLatest } from '@berth/migrations/migrate';
import { freePort, waitFor } from './ports.ts';

export interface PrivatePostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

const bin = (() => {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  return path.join('/usr/lib/postgresql', versions[0]!, 'bin');
})();

/** Runs a command as the postgres OS user (Postgres refuses to run as root). */
function asPostgres(command: string, args: string[]): void {
  const quoted = [path.join(bin, command), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  execFileSync('su', ['postgres', '-c', quoted], { stdio: 'pipe' });
}

/**
 * A throwaway Postgres cluster on a free loopback port, migrated, for tests
 * that stop and restart the database under a running system.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  execFileSync('chown', ['postgres', dir]);
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'berth', '--no-sync']);
  const url = `postgres://berth@127.0.0.1:${port}/postgres`;
  const ready = () =>
    waitFor('private postgres', async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.end();
      return true;
    }, 20_000);
  const start = async () => {
    asPostgres('pg_ctl', [
      '-D', data, '-l', path.join(dir, 'log'), '-w', 'start',
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`,
    ]);
    await ready();
  };
  await start();
  const db = createDb(url, { max: 1 });
  await migrateToLatest(db);
  await db.destroy();
  return {
    url,
    start,
    async stop() {
      asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    async destroy() {
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
