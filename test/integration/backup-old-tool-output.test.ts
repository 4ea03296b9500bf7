import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { BackupStore } from '@berth/shared/backup-store';
import { ProjectStore } from '@berth/shared/project-store';
import { SecretBox } from '@berth/shared/secret-box';
import { ServiceStore } from '@berth/shared/service-store';
import { databaseForFile } from '@berth/testing/database';
import { up } from '../../migrations/versions/0025-backup-old-tool-output.ts';

// Failures recorded before error_detail existed (0022) kept the tool's stderr in error_message,
// which every reader of the project sees: a row's value in a viewer's list. Migration 0025, run
// over such rows in a real database, moves it apart; other messages and newer rows stay.
const database = databaseForFile();
const secret = 'alice@secret.example';

it("moves an old failure's tool output out of its message into its detail, leaving other rows as they are", async () => {
  const db = database().db;
  await new ProjectStore(db).create({ name: 'shop', envSealed: null, buildEnvSealed: null });
  const services = new ServiceStore(db, new SecretBox(randomBytes(32)));
  const backups = new BackupStore(db);
  const stderr = `pg_restore: error: could not execute query: ERROR:  duplicate key value violates unique constraint "u"\nDETAIL:  Key (email)=(${secret}) already exists.`;
  const ends = [
    { errorMessage: `pg_restore exited with 1: ${stderr}` }, // the old form, many lines
    { errorMessage: `redis-cli --rdb exited with no code: ${secret}` },
    { errorMessage: `staging the snapshot exited with 2: cat: write error: ${secret}` },
    { errorMessage: 'pg_dump exited with 1' }, // no output: nothing to move
    { errorMessage: `backup bkp000000000000 does not unpack: incorrect header check` },
    { errorMessage: 'pg_dump exited with 1: a constraint refused a row of the dump (its output is in errorDetail, for the project\'s admins)', errorDetail: 'new detail' }, // a new row
  ];
  const ids: string[] = [];
  for (const [i, end] of ends.entries()) {
    await services.add('shop', { type: 'postgres', name: `db${i}`, image: 'postgres:16', version: '16', envName: `DB${i}_URL`, previews: false }, 10);
    const row = await backups.create('shop', `db${i}`, 'backup');
    await backups.finish(row.id, { status: 'failed', errorCode: 'BACKUP_FAILED', ...end });
    ids.push(row.id);
  }

  const migrating = db as unknown as Kysely<unknown>; // as the migrator hands it over
  await up(migrating);
  await up(migrating); // twice: the second finds nothing to move

  const after = await Promise.all(ids.map(async (id) => (await backups.get(id))!));
  expect(after.map((r) => [r.error_message, r.error_detail])).toEqual([
    ["pg_restore exited with 1 (its output is in errorDetail, for the project's admins)", stderr],
    ["redis-cli --rdb exited with no code (its output is in errorDetail, for the project's admins)", secret],
    ["staging the snapshot exited with 2 (its output is in errorDetail, for the project's admins)", `cat: write error: ${secret}`],
    ['pg_dump exited with 1', null],
    ['backup bkp000000000000 does not unpack: incorrect header check', null],
    [ends[5]!.errorMessage, 'new detail'],
  ]);
  expect(after.some((r) => r.error_message!.includes(secret))).toBe(false);
});
