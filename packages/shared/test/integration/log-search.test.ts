import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@berth/testing/database';
import { LogChunker } from '../../src/log-search/log-chunker.ts';
import { LogSearch } from '../../src/log-search/log-search.ts';
import { LogStore } from '../../src/log-store.ts';
import type { LogLine } from '../../src/log-line.ts';

let t: TestDatabase;
let search: LogSearch;
const t0 = Date.UTC(2026, 11, 6, 12, 0, 0);
const at = (s: number) => new Date(t0 + s * 1000);
const lines = (from: number, texts: string[], s0: number): LogLine[] =>
  texts.map((line, i) => ({ seq: from + i, ts: at(s0 + i).toISOString(), stream: i % 2 ? 'runtime' : 'build', line }));
const deploy = (id: string, project: string) =>
  t.store.create({ id, project, sourceType: 'archive', rootDir: '', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from('x') } });
const chunker = (chunkLines: number) => new LogChunker(t.db, { chunkLines, settleMs: 1000, quietMs: 60_000, activeWithinMs: 3600_000 });
const find = (project: string, q: string, more: Partial<Parameters<LogSearch['search']>[1]> = {}) => search.search(project, { q, limit: 50, ...more });
const texts = async (project: string, q: string, more = {}) => (await find(project, q, more)).items.map((i) => i.line);

beforeAll(async () => {
  t = await createTestDatabase();
  search = new LogSearch(t.db, 5000);
  await deploy('dshopaaaaaa1', 'shop');
  await deploy('dshopaaaaaa2', 'shop');
  await deploy('dotheraaaaa1', 'other');
  const store = new LogStore(t.db);
  const filler = Array.from({ length: 40 }, (_, i) => `GET /items/${i} 200`);
  await store.append('dshopaaaaaa1', lines(1, ['npm install', 'Error: ENOENT /app/x', ...filler, 'payment FAILED for order 7'], 0));
  await store.append('dshopaaaaaa2', lines(1, ['listening on 3000', 'payment failed for order 9', '100% done_ok'], 100));
  await store.append('dotheraaaaa1', lines(1, ['payment failed for order 666 (another project)'], 200));
}, 60_000);
afterAll(async () => t?.drop());

describe('log search', () => {
  it("finds a stored line before any chunk is made (the tail), newest first, and never another project's", async () => {
    expect(await texts('shop', 'PAYMENT failed')).toEqual(['payment failed for order 9', 'payment FAILED for order 7']);
    expect(await texts('other', 'payment')).toEqual(['payment failed for order 666 (another project)']);
    expect(await texts('nobody', 'payment')).toEqual([]);
  });

  it('finds the same lines through the chunks, once each, after the chunker ran', async () => {
    const pass = await chunker(10).run(at(1000));
    expect(pass.chunks).toBeGreaterThanOrEqual(6); // 43 lines in chunks of 10, and the two other deployments' tails
    expect(await texts('shop', 'payment failed')).toEqual(['payment failed for order 9', 'payment FAILED for order 7']);
    expect(await chunker(10).run(at(1000))).toEqual({ deployments: 0, chunks: 0 }); // nothing new: nothing chunked twice, no deployment visited
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from deployment_log_chunks`.execute(t.db);
    expect(Number(rows[0]!.n)).toBe(pass.chunks);
  });

  it('visits only the deployments with lines after their last chunk (a quiet running app costs no statement)', async () => {
    await new LogStore(t.db).append('dshopaaaaaa2', lines(4, ['tick'], 150));
    expect(await chunker(10).run(at(1000))).toEqual({ deployments: 1, chunks: 1 });
    expect(await chunker(10).run(at(1000))).toEqual({ deployments: 0, chunks: 0 });
  });

  it("takes % _ and \\ literally in a substring; regex=true takes a POSIX pattern with ^ and $ per line", async () => {
    expect(await texts('shop', '100%')).toEqual(['100% done_ok']);
    expect(await texts('shop', '%')).toEqual(['100% done_ok']);
    expect(await texts('shop', 'n_n')).toEqual([]); // as a wildcard it would match 'listening'
    expect(await texts('shop', '^payment .* order [0-9]$', { regex: true })).toEqual(['payment failed for order 9', 'payment FAILED for order 7']);
    expect(await texts('shop', '^GET /items/3[0-9] 200$', { regex: true })).toHaveLength(10);
    expect(await texts('shop', 'install.*ENOENT', { regex: true })).toEqual([]); // across two lines: no single line matches
  });

  it('narrows by deployment, stream and time, and pages with a cursor', async () => {
    expect(await texts('shop', 'payment', { deployment: 'dshopaaaaaa2' })).toEqual(['payment failed for order 9']);
    expect(await texts('shop', 'payment', { deployment: 'dotheraaaaa1' })).toEqual([]);
    expect(await texts('shop', 'GET', { stream: 'build', until: at(5) })).toEqual(['GET /items/2 200', 'GET /items/0 200']);
    expect(await texts('shop', 'GET', { since: at(40) })).toEqual(['GET /items/39 200', 'GET /items/38 200']);
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 10; page++) {
      const found = await find('shop', 'GET /items', { limit: 15, before });
      seen.push(...found.items.map((i) => i.line));
      if (!found.next) break;
      before = found.next;
    }
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
    expect(seen[0]).toBe('GET /items/39 200');
  });

  it('answers a bad pattern and a bad cursor with 400s, not a 500', async () => {
    await expect(find('shop', '(unclosed', { regex: true })).rejects.toMatchObject({ code: 'INVALID_LOG_QUERY' });
    await expect(find('shop', 'x', { before: 'bm90IGEgY3Vyc29y' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('a search past its time is LOG_SEARCH_TIMEOUT', async () => {
    await deploy('dbigaaaaaaa1', 'big');
    await new LogStore(t.db).append('dbigaaaaaaa1', lines(1, Array.from({ length: 50_000 }, (_, i) => `line ${i} of a chatty app`), 0));
    const slow = new LogSearch(t.db, 1);
    await expect(slow.search('big', { q: 'ch[a-z]+ty app$', regex: true, limit: 10 })).rejects.toMatchObject({ code: 'LOG_SEARCH_TIMEOUT' });
  });
});
