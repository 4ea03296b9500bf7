import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropDatabase } from './drop-database.ts';
import { afterAll, beforeAll, inject } from 'vitest';
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
        await dropDatabase(c, name);
      } finally {
        await c.end();
      }
    },
  };
}

/** A database of the test file's own (cloned from the migrated template): made before its tests, dropped after. */
export function databaseForFile(): () => TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  return () => {
    if (!database) throw new Error('the database is made in beforeAll');
    return database;
  };
}
