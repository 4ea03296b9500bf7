import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import unzipper from 'unzipper';
import tarStream from 'tar-stream';
import { BerthError } from '@berth/shared/errors';
import { checkLinkTarget, makeLinks, MAX_LINK_TARGET, type PlannedLink } from './archive-links.ts';
import { extractedFileMode, extractedFolderMode, zipEntryMode } from './archive-modes.ts';
import { Budget, safeTarget, type ExtractLimits } from './extract-budget.ts';
import { bufferReader, checkZipEntryCount } from './zip-end-record.ts';

export type { ExtractLimits } from './extract-budget.ts';

/**
 * Extracts an uploaded archive into `dest` without trusting it: every entry
 * path must stay inside `dest`, links (zip only: the CLI's) must resolve inside
 * it, a zip's entry count is read before its directory is parsed, the real number of bytes
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

async function extractZip(data: Buffer, dest: string, budget: Budget): Promise<void> {
  // The count comes from the end record, before the directory is parsed: parsing
  // two million records takes gigabytes. The parser is then pointed at that same
  // record (its tail window starts there), so both read one count.
  const end = await checkZipEntryCount(data.length, bufferReader(data), budget.limits.maxFiles);
  let directory: unzipper.CentralDirectory;
  try {
    const open = unzipper.Open.buffer as (data: Buffer, options: { tailSize: number }) => Promise<unzipper.CentralDirectory>;
    directory = await untilAborted(open(data, { tailSize: data.length - end.offset }), budget.signal);
  } catch (err) {
    if (budget.signal.aborted) throw err;
    throw new BerthError('INVALID_ARCHIVE', 'the upload is not a readable zip archive', { cause: err });
  }
  const { plan, links } = await planZip(directory.files, dest, budget);
  for (const { entry, target } of plan) {
    budget.check();
    if (entry.type === 'Directory') {
      await fs.mkdir(target, { recursive: true, mode: extractedFolderMode });
      continue;
    }
    await fs.mkdir(path.dirname(target), { recursive: true, mode: extractedFolderMode });
    try {
      // Sizes in headers can lie: the meter counts what is really written.
      await pipeline(entry.stream(), budget.meter(), createWriteStream(target, { flags: 'wx' }), { signal: budget.signal });
      await fs.chmod(target, extractedFileMode(zipEntryMode(entry.externalFileAttributes)));
    } catch (err) {
      if (err instanceof BerthError || budget.signal.aborted) throw err;
      throw new BerthError('INVALID_ARCHIVE', `archive entry "${entry.path}" could not be read`, { cause: err });
    }
  }
  await makeLinks(dest, links, budget.signal);
}

/** Checks every entry before writing any, so a hostile archive leaves nothing behind. */
async function planZip(files: readonly unzipper.File[], dest: string, budget: Budget) {
  const seen = new Set<string>();
  const plan: { entry: unzipper.File; target: string }[] = [];
  const links: PlannedLink[] = [];
  for (const entry of files) {
    budget.check();
    const target = safeTarget(dest, entry.path);
    if (!target) continue;
    if (seen.has(target)) {
      throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${entry.path}" appears twice`);
    }
    seen.add(target);
    if (entry.type === 'Directory') budget.addFolders(target);
    else budget.addFile(target);
    const type = zipEntryMode(entry.externalFileAttributes) & 0o170000;
    if (type !== 0o120000) plan.push({ entry, target });
    else {
      const link = { name: entry.path, target, linkTo: await readLinkTarget(entry) };
      checkLinkTarget(dest, link);
      links.push(link);
    }
  }
  refuseEntriesUnderLinks(dest, seen, links);
  return { plan, links };
}

/** A link's target is its entry's content; read at most MAX_LINK_TARGET bytes of it (the entry may be a bomb). */
async function readLinkTarget(entry: unzipper.File): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry.stream() as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_LINK_TARGET) throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${entry.path}" is a symbolic link with a malformed target`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Nothing is written below a link (it could lead anywhere once made): `a -> x` with `a/b` is refused. */
function refuseEntriesUnderLinks(dest: string, entries: ReadonlySet<string>, links: readonly PlannedLink[]): void {
  if (links.length === 0) return;
  const linkPaths = new Set(links.map((l) => l.target));
  for (const entry of entries) {
    for (let d = path.dirname(entry); d !== dest && d.startsWith(dest); d = path.dirname(d)) {
      if (linkPaths.has(d)) throw new BerthError('UNSAFE_ARCHIVE', `archive entry "${path.relative(dest, entry)}" lies below a symbolic link`);
    }
  }
}

/** Parsing cannot be interrupted; the deadline and cancel still end the wait for it. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
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
        if (target) working = fs.mkdir(target, { recursive: true, mode: extractedFolderMode }).then(() => next(), fail);
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
        .mkdir(path.dirname(target), { recursive: true, mode: extractedFolderMode })
        .then(() => pipeline(stream, budget.meter(), createWriteStream(target, { flags: 'wx' }), { signal: budget.signal }))
        .then(() => fs.chmod(target, extractedFileMode(header.mode)))
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
