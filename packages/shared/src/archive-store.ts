import { sql } from 'kysely';
import type { Db } from './db.ts';

/** Uploaded source archives, kept until no attempt of their deployment can need them. */
export class ArchiveStore {
  constructor(private readonly db: Db) {}

  async get(deploymentId: string): Promise<Buffer | undefined> {
    const row = await this.db
      .selectFrom('deployment_archives')
      .select('data')
      .where('deployment_id', '=', deploymentId)
      .executeTakeFirst();
    return row?.data;
  }

  /** The stored archive's size in bytes, without loading it. */
  async size(deploymentId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('deployment_archives')
      .select(sql<number>`octet_length(data)`.as('size'))
      .where('deployment_id', '=', deploymentId)
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.size);
  }

  /**
   * `length` bytes at `offset` of the stored archive, without loading the rest:
   * the worker reads a zip's end record this way before loading a whole archive
   * (a 100 MB upload costs the worker several times that in memory to load).
   */
  async read(deploymentId: string, offset: number, length: number): Promise<Buffer> {
    const row = await this.db
      .selectFrom('deployment_archives')
      .select(sql<Buffer>`substring(data from ${offset + 1} for ${length})`.as('part'))
      .where('deployment_id', '=', deploymentId)
      .executeTakeFirst();
    return row?.part ?? Buffer.alloc(0);
  }

  async delete(deploymentId: string): Promise<void> {
    await this.db.deleteFrom('deployment_archives').where('deployment_id', '=', deploymentId).execute();
  }
}
