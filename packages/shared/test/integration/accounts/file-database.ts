import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';

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
