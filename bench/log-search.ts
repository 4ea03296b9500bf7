/**
 * Log search over many stored lines (issue 30): a rare term's search through the chunks' trigram
 * index (packages/shared/src/log-search), against the same search as a plain scan of the project's
 * lines, in the same run; and what making the chunks costs against storing the lines.
 *
 *   npm run bench:log-search            # 10,000,000 lines (LINES=… to change)
 */
import { sql } from 'kysely';
import { LogChunker } from '@berth/shared/log-search/log-chunker';
import { LogSearch, likePattern } from '@berth/shared/log-search/log-search';
import { createBenchDatabase } from './bench-db.ts';
import { sized } from './bench-size.ts';

const lines = sized('LINES', 10_000_000, 20_000);
const queries = sized('QUERIES', 20, 3);
const scans = sized('SCANS', 3, 1);
const deployments = 40; // half in the searched project, half in another
const needles = 20;

const bench = await createBenchDatabase('logsearch');
try {
  const perDeployment = Math.ceil(lines / deployments);
  const ids = Array.from({ length: deployments }, (_, i) => `dbench${String(i).padStart(6, '0')}`);
  for (const [i, id] of ids.entries()) {
    await bench.store.create({ id, project: i % 2 ? 'other' : 'shop', sourceType: 'archive', rootDir: '', port: 3000, env: {}, archive: { format: 'zip', data: Buffer.from('x') } });
  }
  const stored = await timed(() => storeLines(ids, perDeployment));
  console.log(`stored ${lines.toLocaleString('en')} lines in ${deployments} deployments: ${ms(stored)} (${rate(lines, stored)} lines/s)`);

  const chunker = new LogChunker(bench.db, { chunkLines: 500, settleMs: 0, quietMs: 0, activeWithinMs: 3600_000 });
  let chunks = 0;
  const chunking = await timed(async () => {
    for (let made = -1; made !== 0; ) {
      made = (await chunker.run()).chunks;
      chunks += made;
    }
  });
  console.log(`chunked them into ${chunks} chunks: ${ms(chunking)} (${rate(lines, chunking)} lines/s; ${(chunking / stored).toFixed(2)}x storing them)`);
  // What autovacuum does on a running installation after that many new rows: statistics for the planner.
  await sql`analyze deployment_log_chunks`.execute(bench.db);
  await sql`analyze deployment_logs`.execute(bench.db);

  const search = new LogSearch(bench.db, 60_000);
  const indexed = await timesOf(queries, (k) => search.search('shop', { q: `needle-${k % needles}-x`, limit: 100 }));
  const scanned = await timesOf(scans, (k) => scanSearch(`needle-${k % needles}-x`));
  console.log(`rare term, indexed search: p50 ${ms(pct(indexed, 50))}, p95 ${ms(pct(indexed, 95))} (${queries} queries)`);
  console.log(`rare term, plain scan:     p50 ${ms(pct(scanned, 50))}, p95 ${ms(pct(scanned, 95))} (${scans} queries)`);
  console.log(`ratio indexed / scan (p50): ${(pct(indexed, 50) / pct(scanned, 50)).toFixed(3)}`);
} finally {
  await bench.drop();
}

/** Lines like an app's access log, in the past (settled); `needle-<k>-x` in a few lines of the searched project. */
async function storeLines(ids: string[], perDeployment: number): Promise<void> {
  const start = Date.now() - 3 * 3600_000;
  for (const [i, id] of ids.entries()) {
    for (let from = 1; from <= perDeployment; from += 200_000) {
      const to = Math.min(perDeployment, from + 199_999);
      await sql`
        insert into deployment_logs (deployment_id, seq, ts, stream, line)
        select ${id}, g, to_timestamp((${start} + g)::double precision / 1000), 'runtime',
          (array['GET', 'POST', 'PUT'])[1 + g % 3] || ' /api/items/' || (g % 5000) || ' ' || (array['200', '201', '404', '500'])[1 + g % 4]
            || ' in ' || (g % 97) || ' ms req=' || substr(md5(${id} || g), 1, 12)
            || case when g % ${Math.max(1, Math.floor(perDeployment / 3))} = 7 and ${i % 2} = 0 then ' needle-' || (g % ${needles}) || '-x' else '' end
        from generate_series(${from}::bigint, ${to}::bigint) g`.execute(bench.db);
    }
  }
}

/** The baseline: the same search with no chunks, a scan of every line of the project's deployments. */
async function scanSearch(term: string): Promise<unknown> {
  return sql`
    select l.deployment_id, l.seq, l.ts, l.line from deployment_logs l join deployments d on d.id = l.deployment_id
    where d.project = 'shop' and l.line ilike ${likePattern(term)}
    order by l.ts desc limit 100`.execute(bench.db);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function timesOf(n: number, fn: (k: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < n; k++) times.push(await timed(() => fn(k)));
  return times.sort((a, b) => a - b);
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function ms(v: number): string {
  return `${Math.round(v).toLocaleString('en')} ms`;
}

function rate(n: number, msTaken: number): string {
  return Math.round(n / (msTaken / 1000)).toLocaleString('en');
}
