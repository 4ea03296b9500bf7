import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '@berth/shared/db';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { LogStore } from '@berth/shared/log-store';
import { TransitionHistory } from '@berth/shared/transition-history';
import { DeploymentLifecycle, noRetry } from '@berth/shared/deployment-lifecycle';

export interface TestDatabase {
  url: string;
  db: Db;
  store: DeploymentStore;
  logs: LogStore;
  history: TransitionHistory;
  /** Moves deployments to the states a test sets up; announces nothing (a test publishes what it needs). */
  lifecycle: DeploymentLifecycle;
  drop(): Promise<void>;
}

/** The lifecycle on `db` with nothing to announce to: status changes a test makes as if some program had. */
export function silentLifecycle(db: Db): DeploymentLifecycle {
  return new DeploymentLifecycle({
    db,
    status: { publish: async () => {} },
    control: { send: async () => {} },
    retry: noRetry,
  });
}

/** A fresh database cloned from the migrated template (one per test file or test). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = inject('databaseUrl');
  const name = `berthdb_${inject('testRun')}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${inject('templateDatabase')}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 5 });
  return {
    url: url.toString(),
    db,
    store: new DeploymentStore(db),
    logs: new LogStore(db),
    history: new TransitionHistory(db),
    lifecycle: silentLifecycle(db),
    async drop() {
      await db.destroy();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        // WITH (FORCE) may not end an autovacuum worker (it is the superuser's, not ours: 42501,
        // seen once in CI); such a worker stops soon, so the drop is tried again for a while.
        for (let attempt = 1; ; attempt++) {
          try {
            await c.query(`drop database if exists ${name} with (force)`);
            break;
          } catch (err) {
            if ((err as { code?: string }).code !== '42501' || attempt >= 50) throw err;
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}
