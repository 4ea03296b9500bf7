import { mkdir } from 'node:fs/promises';
import type { ArchiveStore } from '@berth/shared/archive-store';
import type { DeploymentRow } from '@berth/shared/db';
import { BerthError } from '@berth/shared/errors';
import type { WorkerConfig } from '../config.ts';
import type { LogSink } from '../log-sink.ts';
import { checkZipEntryCount } from './zip-end-record.ts';

/** Where a deployment's source comes from: a git clone or an uploaded archive. */
export interface Sources {
  clone(options: {
    url: string;
    ref: string | null;
    dest: string;
    timeoutMs: number;
    maxBytes: number;
    signal: AbortSignal;
    onLine: (line: string) => void;
  }): Promise<string>;
  /** Unpacks into `dest` (which it creates); stops when `signal` aborts (the job was canceled). */
  extract(data: Buffer, format: 'zip' | 'tar.gz', dest: string, signal: AbortSignal): Promise<{ files: number; bytes: number }>;
}

/**
 * Puts a deployment's source into `srcDir` (which must not exist yet), saying
 * what it does in the log. Returns the commit a git source resolved to.
 */
export async function fetchSource(
  deps: { sources: Sources; archives: ArchiveStore; config: WorkerConfig },
  deployment: DeploymentRow,
  srcDir: string,
  log: LogSink,
  signal: AbortSignal,
): Promise<{ commit?: string }> {
  const { sources, config } = deps;
  if (deployment.source_type === 'git') {
    log.system(`cloning ${deployment.git_url}${deployment.git_ref ? ` at ${deployment.git_ref}` : ''}`);
    await mkdir(srcDir);
    const commit = await sources.clone({
      url: deployment.git_url!,
      ref: deployment.git_ref,
      dest: srcDir,
      timeoutMs: config.CLONE_TIMEOUT_MS,
      maxBytes: config.MAX_EXTRACTED_BYTES,
      signal,
      onLine: (line) => log.system(line),
    });
    log.system(`checked out commit ${commit}`);
    return { commit };
  } else {
    const format = deployment.archive_format ?? 'zip';
    if (format === 'zip') await checkStoredZip(deps, deployment.id);
    const archive = await deps.archives.get(deployment.id);
    if (!archive) throw new BerthError('INVALID_ARCHIVE', 'the uploaded archive is no longer stored');
    log.system(`extracting ${deployment.archive_format} archive (${archive.length} bytes)`);
    const { files, bytes } = await sources.extract(archive, format, srcDir, signal);
    log.system(`extracted ${files} files (${bytes} bytes)`);
    return {};
  }
}

/**
 * A zip's entry count, from its end record read straight from the database:
 * a directory flood is refused before the worker loads the whole archive
 * (extractArchive checks it again, for callers that hand it a buffer).
 */
async function checkStoredZip(deps: { archives: ArchiveStore; config: WorkerConfig }, deploymentId: string): Promise<void> {
  const size = await deps.archives.size(deploymentId);
  if (size === undefined) throw new BerthError('INVALID_ARCHIVE', 'the uploaded archive is no longer stored');
  await checkZipEntryCount(size, (offset, length) => deps.archives.read(deploymentId, offset, length), deps.config.MAX_EXTRACTED_FILES);
}
