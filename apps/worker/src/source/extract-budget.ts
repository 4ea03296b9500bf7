import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
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

export class Budget {
  files = 0;
  bytes = 0;
  /** Files plus folders: each costs an inode and a syscall, so each counts. */
  private entries = 0;
  private readonly folders = new Set<string>();
  constructor(
    readonly limits: ExtractLimits,
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
export function safeTarget(dest: string, name: string): string | undefined {
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

