import type pg from 'pg';

/**
 * Drops a test or bench database with its connections. WITH (FORCE) may not
 * end an autovacuum worker in it (the superuser's process, not ours: 42501,
 * seen once in a cold run of .ci/run); such a worker stops soon, so the drop is tried again for
 * up to 10 s.
 */
export async function dropDatabase(admin: Pick<pg.Client, 'query'>, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`drop database if exists ${name} with (force)`);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '42501' || attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
