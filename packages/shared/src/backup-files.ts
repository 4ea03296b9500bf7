import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';

/** The backup store's setting (the API reads backups for download, the workers write them). */
export const backupEnv = {
  BACKUP_DIR: z
    .string()
    .min(1)
    .default('.berth/backups')
    .describe("Folder of the service backups (`<project>/<backup id>.bkp`, compressed and encrypted with BERTH_SECRET_KEY); the API and every worker must see the same folder. Default: under the installation's state folder (`npm run up`'s `.berth`)"),
};

/**
 * The backup store: a local folder. A file is written under a temporary name and renamed once
 * complete, so a reader never sees half a backup; ids are Berth's own (`bkp…`), never a user's path.
 */
export class BackupFiles {
  constructor(private readonly dir: string) {}

  private file(project: string, id: string): string {
    return path.join(this.dir, project, `${id}.bkp`);
  }

  /** A stream to write the backup into, and `commit` (rename into place; its size) once it has ended. */
  async create(project: string, id: string): Promise<{ stream: Writable; commit: () => Promise<number>; discard: () => Promise<void> }> {
    await mkdir(path.join(this.dir, project), { recursive: true, mode: 0o700 });
    const partial = `${this.file(project, id)}.partial`;
    return {
      stream: createWriteStream(partial, { mode: 0o600 }),
      commit: async () => {
        await rename(partial, this.file(project, id));
        return (await stat(this.file(project, id))).size;
      },
      discard: () => rm(partial, { force: true }),
    };
  }

  read(project: string, id: string): Readable {
    return createReadStream(this.file(project, id));
  }

  async remove(project: string, id: string): Promise<void> {
    await rm(this.file(project, id), { force: true });
  }

  /** Every backup file in the store (complete or `.partial`), by its project's folder; other files are not Berth's. */
  async list(): Promise<{ project: string; id: string; partial: boolean }[]> {
    const found: { project: string; id: string; partial: boolean }[] = [];
    for (const project of await this.projects()) {
      for (const name of await entries(path.join(this.dir, project))) {
        const match = /^(bkp[a-z0-9]{12})\.bkp(\.partial)?$/.exec(name);
        if (match) found.push({ project, id: match[1]!, partial: Boolean(match[2]) });
      }
    }
    return found;
  }

  /** The project folders in the store (files beside them are not Berth's). */
  async projects(): Promise<string[]> {
    const found = await readdir(this.dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    return found.filter((e) => e.isDirectory()).map((e) => e.name);
  }

  /** Removes one file, complete or partial. */
  async removeFile(file: { project: string; id: string; partial: boolean }): Promise<void> {
    await rm(`${this.file(file.project, file.id)}${file.partial ? '.partial' : ''}`, { force: true });
  }

  /** Removes a project's folder if it is empty (a deleted project's, once its files went). */
  async removeEmptyFolder(project: string): Promise<void> {
    await rmdir(path.join(this.dir, project)).catch((err: NodeJS.ErrnoException) => {
      if (!['ENOTEMPTY', 'EEXIST', 'ENOENT', 'ENOTDIR'].includes(err.code ?? '')) throw err;
    });
  }
}

/** A folder's entries; none when it does not exist (yet). */
async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
}
