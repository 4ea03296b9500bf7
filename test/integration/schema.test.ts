import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, inject, it } from 'vitest';
import { repoRoot } from '@berth/testing/paths';

const committed = path.join(repoRoot, 'migrations/schema.sql');

/** pg_dump's schema without the parts that vary by machine or version (comments, SET lines). */
function normalize(dump: string): string {
  return (
    dump
      .split('\n')
      // \restrict lines carry a random key per dump (newer pg_dump).
      .filter((l) => l.trim() !== '' && !/^(--|SET |SELECT pg_catalog.set_config|\\(un)?restrict )/.test(l))
      .join('\n') + '\n'
  );
}

it('the migrations produce exactly the committed schema (migrations/schema.sql)', () => {
  // The template database is an empty database with every migration applied (test/global-setup.ts).
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${inject('templateDatabase')}`;
  const dump = normalize(
    execFileSync('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', url.toString()], { encoding: 'utf8' }),
  );
  // UPDATE_SCHEMA=1 rewrites the file after an intended migration; review its diff like code.
  if (process.env.UPDATE_SCHEMA) writeFileSync(committed, dump);
  expect(dump).toBe(readFileSync(committed, 'utf8'));
});
