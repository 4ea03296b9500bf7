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

  async delete(deploymentId: string): Promise<void> {
    await this.db.deleteFrom('deployment_archives').where('deployment_id', '=', deploymentId).execute();
  }
}
