import type { TestProject } from 'vitest/node';
import { createDb } from '@berth/shared/db';
import { migrateToLatest } from '@berth/migrations/migrate';
import pg from 'pg';
import { dropDatabase } from '../drop-database.ts';

interface Services {
  databaseUrl: string;
  redisUrl: string;
  template: string;
  teardown: () => Promise<void>;
}

/**
 * Every tier that needs Redis and Postgres (integration, stack, browser, faults) lists this global
 * set-up; one run migrates the template once for all of them: the first project to start makes it,
 * the last to finish drops it. Vitest loads a global set-up file once per project, so the shared
 * state lives on globalThis (one vitest process), not in this module.
 */
const shared = globalThis as { berthTestServices?: { ready: Promise<Services>; users: number } };

export default async function setup(project: TestProject) {
  shared.berthTestServices ??= { ready: startServices(), users: 0 };
  const entry = shared.berthTestServices;
  entry.users++;
  const services = await entry.ready;
  project.provide('databaseUrl', services.databaseUrl);
  project.provide('redisUrl', services.redisUrl);
  project.provide('templateDatabase', services.template);
  project.provide('testRun', String(process.pid));
  return async () => {
    if (--entry.users > 0) return;
    shared.berthTestServices = undefined;
    await services.teardown();
  };
}

/**
 * Uses the Redis and Postgres named by REDIS_URL / DATABASE_URL (what
 * `npm test` starts). Without them (a developer laptop with a registry), it
 * starts both with testcontainers. Then it migrates a template database that
 * every test file clones, so each file gets a fresh schema in milliseconds.
 */
async function startServices(): Promise<Services> {
  const stops: (() => Promise<unknown>)[] = [];
  let databaseUrl = process.env.DATABASE_URL;
  let redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const { RedisContainer } = await import('@testcontainers/redis');
    if (!databaseUrl) {
      const pgc = await new PostgreSqlContainer('postgres:15-alpine').start();
      stops.push(() => pgc.stop());
      databaseUrl = pgc.getConnectionUri();
    }
    if (!redisUrl) {
      const rc = await new RedisContainer('redis:7-alpine').start();
      stops.push(() => rc.stop());
      redisUrl = rc.getConnectionUrl();
    }
  }

  // Names carry this run's pid: several checkouts may run tests on one
  // Postgres at once, and a run must only ever drop its own databases (or
  // those of runs that are gone). No `_` right after "berth": in LIKE it
  // matches any character, and older teardowns drop everything `like 'berth_t_%'`.
  const template = `berthtpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  // Held for the whole run: a restart of the shared Postgres must not crash vitest.
  admin.on('error', () => {});
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${template}`;
  const db = createDb(url.toString(), { max: 1 });
  await migrateToLatest(db);
  await db.destroy();

  return {
    databaseUrl,
    redisUrl,
    template,
    async teardown() {
      // Drop this run's databases and whatever a crashed run left behind, never a live run's.
      const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname ~ '^berth(tpl|db)_[0-9]+'`);
      for (const { datname } of rows) {
        const pid = Number(/^berth(?:tpl|db)_(\d+)/.exec(datname)![1]);
        if (pid === process.pid || !alive(pid)) await dropDatabase(admin, datname);
      }
      await admin.end();
      for (const stop of stops) await stop();
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    templateDatabase: string;
    /** The test run's id (its pid) that its database names carry. */
    testRun: string;
  }
}
