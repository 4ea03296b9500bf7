import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.ts';
import { createGzip } from 'node:zlib';
import yazl from 'yazl';
import tarStream from 'tar-stream';

export const testAppsDir = path.join(repoRoot, 'test-apps');

export interface ZipEntry {
  name: string;
  content?: string | Buffer;
  /** Unix mode (e.g. 0o120777 for a symlink). */
  mode?: number;
  directory?: boolean;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

export function zipEntries(entries: readonly ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if (e.directory) zip.addEmptyDirectory(e.name);
    else
      zip.addBuffer(Buffer.from(e.content ?? ''), e.name, {
        ...(e.mode ? { mode: e.mode } : {}),
        // yazl refuses unsafe names; tests of hostile archives need them raw.
      });
  }
  zip.end();
  return collect(zip.outputStream);
}

function walk(dir: string, prefix = ''): ZipEntry[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? walk(full, rel) : [{ name: rel, content: readFileSync(full) }];
  });
}

/** A zip of one of the apps under test-apps/, optionally with extra or replaced files. */
export function zipTestApp(app: string, overrides: Record<string, string> = {}): Promise<Buffer> {
  const entries = walk(path.join(testAppsDir, app)).filter((e) => !(e.name in overrides));
  for (const [name, content] of Object.entries(overrides)) entries.push({ name, content });
  return zipEntries(entries);
}

export async function tarGzEntries(
  entries: readonly { name: string; content?: string; type?: 'file' | 'symlink' | 'directory'; linkname?: string; mode?: number }[],
): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const e of entries) {
    const type = e.type ?? 'file';
    if (type === 'file') pack.entry({ name: e.name, ...(e.mode !== undefined ? { mode: e.mode } : {}) }, e.content ?? '');
    else pack.entry({ name: e.name, type, ...(e.linkname ? { linkname: e.linkname } : {}) });
  }
  pack.finalize();
  return collect(pack.pipe(createGzip()));
}

export function tarGzTestApp(app: string): Promise<Buffer> {
  return tarGzEntries(
    walk(path.join(testAppsDir, app)).map((e) => ({ name: e.name, content: e.content!.toString() })),
  );
}
