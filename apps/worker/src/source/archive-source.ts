import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import unzipper from 'unzipper';
import tarStream from 'tar-stream';
import { BerthError } from '@berth/shared/errors';

export interface ExtractLimits {
  maxBytes: number;
  /** Entries written: files and folders (explicit ones and those implied by paths). */
  maxFiles: number;
  /** A total deadline: many tiny entries can stay under every other limit and still take minutes. */
  timeoutMs: number;
  /** The job's cancel signal: a canceled deployment stops extracting at once. */
  signal: AbortSignal;
}

/**
 * Extracts an uploaded archive into `dest` without trusting it: every entry
 * path must stay inside `dest`, links are refused, the real number of bytes
 * written (not what headers claim) and of entries made are capped, and it all
 * happens within a deadline. `dest` is created here and removed again on any
 * failure, so a refused archive leaves nothing behind.
 */
export async function extractArchive(
  data: Buffer,
  format: 'zip' | 'tar.gz',
  dest: string,
  limits: ExtractLimits,
): Promise<{ files: number; bytes: number }> {
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), limits.timeoutMs);
  const signal = AbortSignal.any([limits.signal, timer.signal]);
  const budget = new Budget(limits, dest, signal);
  try {
    if (format === 'zip') await extractZip(data, dest, budget);
    else await extractTarGz(data, dest, budget);
    if (budget.files === 0) throw new BerthError('EMPTY_ARCHIVE', 'the archive contains no files');
    return { files: budget.files, bytes: budget.bytes };
  } catch (err) {
    await fs.rm(dest, { recursive: true, force: true });
    // Whatever a stream reported on the way out (premature close, AbortError), say why it stopped.
    if (limits.signal.aborted) throw limits.signal.reason;
    if (timer.signal.aborted) {
      throw new BerthError('EXTRACT_TIMEOUT', `extraction did not finish within ${limits.timeoutMs} ms`, { cause: err });
    }
    throw err;
  } finally {
    clearTimeout(timeout);
  }
}

class Budget {
  files = 0;
  bytes = 0;
  /** Files plus folders: each costs an inode and a syscall, so each counts. */
  private entries = 0;
  private readonly folders = new Set<string>();
  constructor(
    private readonly limits: ExtractLimits,
    private readonly dest: string,
    readonly signal: AbortSignal,
  ) {}

  /** Called between entries: stops at the deadline or on cancel. */
  check(): void {
    this.signal.throwIfAborted();
  }

  private addEntry(): void {
    if (++this.entries > this.limits.maxFiles) {
      throw new BerthError('ARCHIVE_TOO_LARGE', `the archive has more than ${this.limits.maxFiles} files and folders`);
    }
  }

  addFile(target: string): void {
    this.addFolders(path.dirname(target));
    this.files++;
    this.addEntry();
  }

  /** Counts `dir` and every parent below `dest` not counted yet (a deep path implies many). */
  addFolders(dir: string): void {
    for (let d = dir; d !== this.dest && !this.folders.has(d); d = path.dirname(d)) {
      this.folders.add(d);
      this.addEntry();
    }
  }

  /** A transform that counts bytes as they are written and stops past the limit. */
  meter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) => {
        this.bytes += chunk.length;
        if (this.bytes > this.limits.maxBytes) {
          done(new BerthError('ARCHIVE_TOO_LARGE', `the archive expands to more than ${this.limits.maxBytes} bytes`));
        } else {
          done(null, chunk);
        }
      },
    });
  }
}

/** Resolves an entry name inside `dest`, or throws UNSAFE_ARCHIVE. */
function safeTarget(dest: string, name: string): string | undefined {
  const normalized = name.replace(/^\.\/+/, '');
  if (normalized === '' || normalized === '.' || normalized === './') return undefined;
  if (normalized.includes('\\') || normalized.includes('\0') || path.isAbsolute(normalized)) {
    throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${name}" has an absolute or malformed path`);
  }
  const target = path.resolve(dest, normalized);
  if (target !== dest && !target.startsWith(dest + path.sep)) {
    throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${name}" points outside the archive`);
  }
  return target;
}

async function extractZip(data: Buffer, dest: string, budget: Budget): Promise<void> {
  let directory: unzipper.CentralDirectory;
  try {
    directory = await unzipper.Open.buffer(data);
  } catch (err) {
    throw new BerthError('INVALID_ARCHIVE', 'the upload is not a readable zip archive', { cause: err });
  }
  // Check every entry before writing any, so a hostile archive leaves nothing behind.
  const seen = new Set<string>();
  const plan: { entry: unzipper.File; target: string }[] = [];
  for (const entry of directory.files) {
    const target = safeTarget(dest, entry.path);
    if (!target) continue;
    const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
    if (mode === 0o120000) {
      throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${entry.path}" is a symbolic link`);
    }
    if (seen.has(target)) {
      throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${entry.path}" appears twice`);
    }
    seen.add(target);
    if (entry.type === 'Directory') budget.addFolders(target);
    else budget.addFile(target);
    plan.push({ entry, target });
  }
  for (const { entry, target } of plan) {
    budget.check();
    if (entry.type === 'Directory') {
      await fs.mkdir(target, { recursive: true });
      continue;
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      // Sizes in headers can lie: the meter counts what is really written.
      await pipeline(entry.stream(), budget.meter(), createWriteStream(target, { flags: 'wx' }), { signal: budget.signal });
    } catch (err) {
      if (err instanceof BerthError || budget.signal.aborted) throw err;
      throw new BerthError('INVALID_ARCHIVE', `archive entry "${entry.path}" could not be read`, { cause: err });
    }
  }
}

async function extractTarGz(data: Buffer, dest: string, budget: Budget): Promise<void> {
  const extract = tarStream.extract();
  const seen = new Set<string>();
  let rejection: unknown;
  // The entry being written: on failure it is awaited, so no mkdir or open still
  // in flight can recreate files after the caller removed `dest`.
  let working: Promise<unknown> = Promise.resolve();
  extract.on('entry', (header, stream, next) => {
    // Destroying the extractor errors the entry stream too; unhandled, that would crash the process.
    stream.on('error', () => {});
    const fail = (err: unknown) => {
      rejection ??= err;
      extract.destroy(err instanceof Error ? err : new Error(String(err)));
    };
    try {
      budget.check();
      const target = safeTarget(dest, header.name);
      if (!target || header.type === 'directory') {
        stream.resume();
        if (target) budget.addFolders(target);
        if (target) working = fs.mkdir(target, { recursive: true }).then(() => next(), fail);
        else next();
        return;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${header.name}" is a ${header.type}, not a file`);
      }
      if (seen.has(target)) throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${header.name}" appears twice`);
      seen.add(target);
      budget.addFile(target);
      working = fs
        .mkdir(path.dirname(target), { recursive: true })
        .then(() => pipeline(stream, budget.meter(), createWriteStream(target, { flags: 'wx' }), { signal: budget.signal }))
        .then(() => next(), fail);
    } catch (err) {
      fail(err);
    }
  });
  try {
    await pipeline(Readable.from([data]), createGunzip(), extract, { signal: budget.signal });
  } catch (err) {
    await working;
    if (budget.signal.aborted) throw err;
    // Destroying the stream mid-way can surface as "premature close": report the real reason.
    if (rejection instanceof BerthError) throw rejection;
    if (err instanceof BerthError) throw err;
    throw new BerthError('INVALID_ARCHIVE', 'the upload is not a readable .tar.gz archive', { cause: err });
  }
}
