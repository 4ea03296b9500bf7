import fs from 'node:fs';

export interface RotatingLogOptions {
  /** A file grows to at most about this size before it is rotated. */
  maxBytes: number;
  /** Rotated files kept next to the current one (`name.1` newest … `name.<files>` oldest). */
  files: number;
}

/**
 * A log file that never grows past `maxBytes`: when the next chunk would
 * overflow it, `name` becomes `name.1` (`name.1` becomes `name.2`, …, the
 * oldest is deleted) and a new `name` begins. The supervisor writes each
 * child's output through one, so `.berth/logs` stays within
 * `(files + 1) × maxBytes` per process. Writes are synchronous: a chunk is on
 * disk (in the page cache) before the next one is read from the pipe, and
 * nothing is lost when the supervisor exits.
 */
export class RotatingLog {
  private fd: number;
  private size: number;

  constructor(
    readonly file: string,
    private readonly options: RotatingLogOptions,
  ) {
    this.fd = fs.openSync(file, 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  /**
   * Never throws: a child's output arriving after its log was closed is
   * dropped, and a failed write (the file or folder removed by hand) opens
   * the file again for the next one. A log must not take the supervisor down.
   */
  write(chunk: string | Buffer): boolean {
    if (this.fd < 0) return false;
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    try {
      if (this.size > 0 && this.size + data.length > this.options.maxBytes) this.rotate();
      fs.writeSync(this.fd, data);
      this.size += data.length;
      return true;
    } catch {
      this.reopen();
      return false;
    }
  }

  close(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  private reopen(): void {
    try {
      fs.closeSync(this.fd);
    } catch {}
    try {
      this.fd = fs.openSync(this.file, 'a', 0o600);
      this.size = fs.fstatSync(this.fd).size;
    } catch {
      this.fd = -1;
    }
  }

  private rotate(): void {
    fs.closeSync(this.fd);
    const { files } = this.options;
    fs.rmSync(`${this.file}.${files}`, { force: true });
    for (let i = files - 1; i >= 1; i--) {
      if (fs.existsSync(`${this.file}.${i}`)) fs.renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    }
    fs.renameSync(this.file, `${this.file}.1`);
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.size = 0;
  }
}
