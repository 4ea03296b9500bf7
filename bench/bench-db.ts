/** A migrated database of the bench's own (the platform's stores on it), dropped by `drop`. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDb, type Db } from '@berth/shared/db';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { LogStore } from '@berth/shared/log-store';
import { TransitionHistory } from '@berth/shared/transition-history';
import { DeploymentLifecycle, noRetry } from '@berth/shared/deployment-lifecycle';
import { dropDatabase } from '@berth/testing/drop-database';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const baseDb = process.env.DATABASE_URL ?? 'postgres://berth:berth@127.0.0.1:5432/berth';

export interface BenchDatabase {
  url: string;
  name: string;
  db: Db;
  store: DeploymentStore;
  logs: LogStore;
  history: TransitionHistory;
  lifecycle: DeploymentLifecycle;
  /** Transactions committed in this database so far (Postgres statistics, updated about each second). */
  commits(): Promise<number>;
  drop(): Promise<void>;
}

export async function createBenchDatabase(tag: string): Promise<BenchDatabase> {
  const name = `berth_bench_${tag}_${process.pid}`;
  const admin = new pg.Client({ connectionString: baseDb });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(baseDb);
  url.pathname = `/${name}`;
  execFileSync('node', ['migrations/dist/migrate-cli.js'], { cwd: root, env: { ...process.env, DATABASE_URL: url.toString() }, stdio: 'ignore' });
  const db = createDb(url.toString(), { max: 10 });
  const lifecycle = new DeploymentLifecycle({ db, status: { publish: async () => {} }, control: { send: async () => {} }, retry: noRetry });
  return {
    url: url.toString(),
    name,
    db,
    store: new DeploymentStore(db),
    logs: new LogStore(db),
    history: new TransitionHistory(db),
    lifecycle,
    async commits() {
      const r = await admin.query<{ n: string }>('select xact_commit::text as n from pg_stat_database where datname = $1', [name]);
      return Number(r.rows[0]?.n ?? 0);
    },
    async drop() {
      await db.destroy();
      await dropDatabase(admin, name);
      await admin.end();
    },
  };
}

/** Creates a deployment and walks it to `running`, as the worker would. */
export async function runningDeployment(t: BenchDatabase, id: string): Promise<void> {
  await t.store.create({ id, project: 'bench', sourceType: 'git', gitUrl: 'https://example.com/x.git', rootDir: '', port: 3000, env: {} });
  for (const [from, to] of [['queued', 'fetching'], ['fetching', 'building'], ['building', 'starting'], ['starting', 'running']] as const) {
    await t.lifecycle.transition(id, [from], to);
  }
}
