import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tarGzEntries, zipEntries } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { startStack } from '@berth/testing/stack';
import { extractArchive } from '../../../apps/worker/src/source/archive-source.ts';

// Hostile uploads that stay under the byte and file limits but still cost the
// worker: thousands of folders (inodes, mkdir calls) and archives that take
// too long to unpack.
let root: string;
let dest: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'berth-sec-archive-'));
  dest = path.join(root, 'src');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const code = (c: string) => expect.objectContaining({ code: c });
const never = new AbortController().signal;
const limits = { maxBytes: 1024 * 1024, maxFiles: 100, timeoutMs: 60_000, signal: never };

describe('folders count toward MAX_EXTRACTED_FILES', () => {
  it('refuses a zip of no files but thousands of folders', async () => {
    const zip = await zipEntries([
      { name: 'Dockerfile', content: 'FROM x' },
      ...Array.from({ length: 2000 }, (_, i) => ({ name: `d${i}/`, directory: true })),
    ]);
    await expect(extractArchive(zip, 'zip', dest, limits)).rejects.toEqual(code('ARCHIVE_TOO_LARGE'));
    expect(existsSync(path.join(dest, 'd150'))).toBe(false);
  });

  it('refuses a tar.gz of no files but thousands of folders', async () => {
    const tgz = await tarGzEntries([
      { name: 'Dockerfile', content: 'FROM x' },
      ...Array.from({ length: 2000 }, (_, i) => ({ name: `d${i}`, type: 'directory' as const })),
    ]);
    await expect(extractArchive(tgz, 'tar.gz', dest, limits)).rejects.toEqual(code('ARCHIVE_TOO_LARGE'));
    expect(existsSync(path.join(dest, 'd150'))).toBe(false);
  });

  it('counts the folders implied by deep paths (zip and tar.gz)', async () => {
    const deep = Array.from({ length: 150 }, (_, i) => `p${i}`).join('/');
    const zip = await zipEntries([{ name: `${deep}/Dockerfile`, content: 'FROM x' }]);
    await expect(extractArchive(zip, 'zip', dest, limits)).rejects.toEqual(code('ARCHIVE_TOO_LARGE'));
    const tgz = await tarGzEntries([{ name: `${deep}/Dockerfile`, content: 'FROM x' }]);
    await expect(extractArchive(tgz, 'tar.gz', path.join(root, 't'), limits)).rejects.toEqual(code('ARCHIVE_TOO_LARGE'));
  });

  it('still accepts an ordinary tree under the limit', async () => {
    const zip = await zipEntries([
      { name: 'Dockerfile', content: 'FROM x' },
      ...Array.from({ length: 40 }, (_, i) => ({ name: `src/m${i}/index.js`, content: 'x' })),
    ]);
    expect(await extractArchive(zip, 'zip', dest, limits)).toEqual({ files: 41, bytes: 46 });
  });
});

describe('extraction has a time bound and stops when the job is canceled', () => {
  const many = 3000;
  const big = { ...limits, maxFiles: 100_000, maxBytes: 100 * 1024 * 1024 };
  const entries = Array.from({ length: many }, (_, i) => ({ name: `f/${i}.txt`, content: `file ${i}` }));

  for (const format of ['zip', 'tar.gz'] as const) {
    it(`fails a ${format} that takes longer than timeoutMs, leaving nothing on disk`, async () => {
      const archive = format === 'zip' ? await zipEntries(entries) : await tarGzEntries(entries);
      const error = await extractArchive(archive, format, dest, { ...big, timeoutMs: 5 }).catch((err: unknown) => err);
      expect(error).toEqual(code('EXTRACT_TIMEOUT'));
      expect((error as Error).message).toBe('extraction did not finish within 5 ms');
      expect(existsSync(dest)).toBe(false);
    });

    it(`stops a ${format} extraction when the job's signal aborts, leaving nothing on disk`, async () => {
      const archive = format === 'zip' ? await zipEntries(entries) : await tarGzEntries(entries);
      const cancel = new AbortController();
      setTimeout(() => cancel.abort(new Error('canceled by request')), 5);
      const error = await extractArchive(archive, format, dest, { ...big, signal: cancel.signal }).catch((err: unknown) => err);
      expect(error).toEqual(expect.objectContaining({ message: 'canceled by request' }));
      expect(existsSync(dest)).toBe(false);
    });
  }
});

describe('the worker applies EXTRACT_TIMEOUT_MS', () => {
  it('fails the deployment with EXTRACT_TIMEOUT and leaves no temp dir or archive behind', async () => {
    const stack = await startStack({ router: false, env: { EXTRACT_TIMEOUT_MS: '5' } });
    try {
      const archive = await zipEntries([
        { name: 'Dockerfile', content: 'FROM berth/node:24' },
        ...Array.from({ length: 3000 }, (_, i) => ({ name: `f/${i}.txt`, content: 'x' })),
      ]);
      const created = await createDeployment(stack, { archive });
      const final = await settled(stack, created.id);
      expect(final).toMatchObject({ status: 'failed', errorCode: 'EXTRACT_TIMEOUT' });
      expect(final.errorMessage).toBe('extraction did not finish within 5 ms');
      expect((await logLines(stack, created.id)).at(-1)?.line).toContain('EXTRACT_TIMEOUT');
      expect(readdirSync(os.tmpdir()).filter((d) => d === `berth-${stack.instance}-${created.id}`)).toEqual([]);
      await waitFor('the archive to be deleted', async () => {
        const row = await stack.db.db.selectFrom('deployment_archives').select('deployment_id').where('deployment_id', '=', created.id).executeTakeFirst();
        return row === undefined;
      }, 10_000);
    } finally {
      await stack.close();
    }
  });
});
