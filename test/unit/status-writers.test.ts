import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@berth/testing/paths';

// One owner for status changes (packages/shared/src/deployment-lifecycle.ts): it asserts the
// transition, compare-and-sets, records the transition and announces it. Any other code that
// writes `deployments.status` would skip one of those; this scan finds such code.

const root = repoRoot;
const lifecycleFile = 'packages/shared/src/deployment-lifecycle.ts';
/** Where a transition row may be inserted besides the lifecycle: the initial `queued` one, created with the row. */
const initialTransitionFile = 'packages/shared/src/deployment-store.ts';
const self = 'test/unit/status-writers.test.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // dist/ holds the compiled copies of the sources scanned here (npm run build).
      return entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.') ? [] : sourceFiles(rel);
    }
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [rel] : [];
  });
}

/** Line numbers of statements in `text` that write deployments.status, or insert transition rows. */
export function statusWrites(text: string): { statusUpdates: number[]; transitionInserts: number[] } {
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const statusUpdates: number[] = [];
  // Kysely: updateTable('deployments') (any quotes, optional alias) up to the statement's execute.
  for (const m of text.matchAll(/updateTable\(\s*(['"`])deployments(\s+as\s+\w+)?\1\s*\)/g)) {
    const rest = text.slice(m.index);
    const end = rest.search(/\.execute\w*\(/);
    const statement = rest.slice(0, end === -1 ? 2000 : end);
    if (/\bstatus\b/.test(statement)) statusUpdates.push(lineOf(m.index));
  }
  // Raw SQL: update deployments … set … status.
  for (const m of text.matchAll(/\bupdate\s+(only\s+)?("?\w+"?\.)?"?deployments"?(\s+(as\s+)?\w+)?\s+set\b[^;`]*?\bstatus\b/gi)) {
    statusUpdates.push(lineOf(m.index));
  }
  const transitionInserts: number[] = [];
  for (const m of text.matchAll(/insertInto\(\s*(['"`])deployment_transitions\1\s*\)|\binsert\s+into\s+"?deployment_transitions"?/gi)) {
    transitionInserts.push(lineOf(m.index));
  }
  return { statusUpdates, transitionInserts };
}

describe('the deployment lifecycle is the only status writer', () => {
  it('the scan recognises status writes in their usual spellings, and nothing else', () => {
    const kysely = `await db\n  .updateTable("deployments")\n  .set({ status: to, updated_at: now })\n  .where('id', '=', id)\n  .execute();`;
    const aliased = `trx.updateTable('deployments as d').set({ updated_at: now }).where('d.status', '=', 'running').executeTakeFirst()`;
    const shorthand = `db.updateTable(\`deployments\`).set({ status }).execute()`;
    const raw = 'await sql`UPDATE deployments\n   SET error_code = null, status = ${to}\n WHERE id = ${id}`.execute(db);';
    const rawQuoted = `client.query('update "deployments" d set status = $1 where id = $2', [s, id])`;
    const record = `trx.insertInto('deployment_transitions').values(row)`;
    for (const text of [kysely, aliased, shorthand, raw, rawQuoted]) expect(statusWrites(text).statusUpdates).toHaveLength(1);
    expect(statusWrites(record).transitionInserts).toHaveLength(1);
    // Writes to other columns or tables are not status changes.
    const gitUrl = `db.updateTable('deployments').set({ git_url: url }).where('id', '=', id).execute();\nconst status = 1;`;
    const projects = `db.updateTable('projects').set({ status: 'x' }).execute()`;
    for (const text of [gitUrl, projects]) expect(statusWrites(text)).toEqual({ statusUpdates: [], transitionInserts: [] });
  });

  it('finds none outside packages/shared/src/deployment-lifecycle.ts', () => {
    const files = ['apps', 'packages', 'migrations', 'bench', 'scripts', 'test'].flatMap(sourceFiles);
    // Guard against scanning the wrong place: the known writers must be among the files read.
    expect(files.length).toBeGreaterThan(100);
    for (const writer of [
      'apps/api/src/routes/deployments.ts',
      'apps/worker/src/deployment-runner.ts',
      'apps/worker/src/runtime-logs.ts',
      lifecycleFile,
    ]) {
      expect(files).toContain(writer);
    }
    const offenders: string[] = [];
    let lifecycleWrites = 0;
    for (const file of files) {
      if (file === self) continue;
      const { statusUpdates, transitionInserts } = statusWrites(readFileSync(path.join(root, file), 'utf8'));
      if (file === lifecycleFile) {
        lifecycleWrites = statusUpdates.length + transitionInserts.length;
        continue;
      }
      offenders.push(...statusUpdates.map((line) => `${file}:${line} updates deployments.status`));
      if (file !== initialTransitionFile) {
        offenders.push(...transitionInserts.map((line) => `${file}:${line} records a transition`));
      }
    }
    expect(offenders).toEqual([]);
    // The scan does see the one real writer (a scan that matches nothing would pass anyway).
    // compareAndSet (an update and its transition) and supersedeQueued's statement (the same pair for a lane's older queued rows).
    expect(lifecycleWrites).toBe(4);
  });
});
