import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb } from '@berth/shared/db';
import { DeploymentStore } from '@berth/shared/deployment-store';
import { LogStore } from '@berth/shared/log-store';
import { createLogger } from '@berth/shared/logger';
import { createRedis } from '@berth/shared/redis';
import { logSeqKey } from '@berth/shared/redis-keys';
import { LogSink, maskableSecrets } from '../../src/log-sink.ts';
import { startPrivatePostgres, type PrivatePostgres } from '@berth/testing/private-postgres';

// A private Postgres we can stop while a build is logging.
let pg: PrivatePostgres;
beforeAll(async () => {
  pg = await startPrivatePostgres();
});
afterAll(async () => {
  await pg?.destroy();
});

it('retries log lines while Postgres is down and stores every one, in order, once it is back', async () => {
  const db = createDb(pg.url, { max: 2 });
  const store = new DeploymentStore(db);
  const redis = createRedis(inject('redisUrl'));
  const id = `pgdown${Date.now().toString(36)}`.slice(0, 12);
  await store.create({ id, project: 'p', sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
  const sink = new LogSink({ redis, logs: new LogStore(db), instance: `pg${process.pid}`, deploymentId: id, flushMs: 5, logger: createLogger('t', 'silent') });
  await sink.init();

  for (let i = 1; i <= 100; i++) sink.write('build', `line ${i}`);
  await sink.flush();
  await pg.stop();
  for (let i = 101; i <= 200; i++) sink.write('build', `line ${i}`);
  const flushing = sink.flush(); // cannot finish while the database is away
  await new Promise((r) => setTimeout(r, 700));
  await pg.start();
  await flushing;
  for (let i = 201; i <= 300; i++) sink.write('build', `line ${i}`);
  await sink.close();

  expect(sink.dropped).toBe(0);
  const stored = await new LogStore(db).read(id, { limit: 1000 });
  expect(stored.map((l) => l.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  expect(stored.map((l) => l.line)).toEqual(Array.from({ length: 300 }, (_, i) => `line ${i + 1}`));
  await db.destroy();
  await redis.quit();
});

it('numbers on above the stored lines when Redis lost its counter mid-log (restarted without its data): no line dropped as stored already', async () => {
  const db = createDb(pg.url, { max: 2 });
  const redis = createRedis(inject('redisUrl'));
  const id = `seqlost${Date.now().toString(36)}`.slice(0, 12);
  await new DeploymentStore(db).create({ id, project: 'p', sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
  const instance = `sl${process.pid}`;
  const sink = new LogSink({ redis, logs: new LogStore(db), instance, deploymentId: id, flushMs: 5, logger: createLogger('t', 'silent') });
  await sink.init();
  for (let i = 1; i <= 100; i++) sink.write('build', `line ${i}`);
  await sink.flush();
  await redis.del(logSeqKey(instance, id));
  for (let i = 101; i <= 150; i++) sink.write('build', `line ${i}`);
  await sink.close();

  const stored = await new LogStore(db).read(id, { limit: 1000 });
  expect(stored.map((l) => l.line)).toEqual(Array.from({ length: 150 }, (_, i) => `line ${i + 1}`));
  expect(stored.map((l) => l.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
  await redis.del(logSeqKey(instance, id));
  await db.destroy();
  await redis.quit();
});

it('masks secrets that are long enough to be secrets, longest first', () => {
  expect(maskableSecrets({ A: '1', B: 'true', C: '8080', D: 'hunter2', E: 'hunter2-extended', F: 'abc' })).toEqual([
    'hunter2-extended',
    'hunter2',
  ]);
});

it('caps build output at the log limit with one notice, but always keeps system lines', async () => {
  const db = createDb(pg.url, { max: 2 });
  const store = new DeploymentStore(db);
  const redis = createRedis(inject('redisUrl'));
  const id = `limit${Date.now().toString(36)}`.slice(0, 12);
  await store.create({ id, project: 'p', sourceType: 'git', gitUrl: 'https://x/y.git', rootDir: '', port: 3000, env: {} });
  const sink = new LogSink({ redis, logs: new LogStore(db), instance: `pg${process.pid}`, deploymentId: id, flushMs: 5, maxLines: 100, logger: createLogger('t', 'silent') });
  await sink.init();
  for (let i = 1; i <= 150; i++) sink.write('build', `line ${i}`);
  sink.system('deployment failed (BUILD_FAILED): the end');
  await sink.close();
  const lines = (await new LogStore(db).read(id, { limit: 1000 })).map((l) => l.line);
  expect(lines).toHaveLength(102);
  expect(lines[99]).toBe('line 100');
  expect(lines[100]).toBe('log limit reached (100 lines); further build output is not kept');
  expect(lines[101]).toBe('deployment failed (BUILD_FAILED): the end');
  expect(sink.overLimit).toBe(50);
  await db.destroy();
  await redis.quit();
});
