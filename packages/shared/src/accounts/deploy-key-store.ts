import { randomBytes } from 'node:crypto';
import type { Db } from '../db.ts';
import { BerthError } from '../errors.ts';
import { hashToken } from '../token-store.ts';

/**
 * What a deploy key's secret starts with: the auth hook asks DeployKeyStore,
 * not TokenStore, about these. Not `berth_…`: an API token is `berth_` and
 * random base64url, which could begin with any letters.
 */
export const deployKeyPrefix = 'berthdk_';

export function isDeployKeySecret(secret: string): boolean {
  return secret.startsWith(deployKeyPrefix);
}

export interface DeployKeyInfo {
  id: string;
  project: string;
  name: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type DeployKeyCheck = { ok: true; key: DeployKeyInfo } | { ok: false; reason: 'unknown' | 'revoked' };

/** last_used_at is written at most this often. */
const touchEveryMs = 60_000;

/**
 * Project deploy keys for CI: each deploys its one project and nothing else
 * (policy.ts). Kept as hashes; the secret is shown once. Deleting the
 * project deletes its keys.
 */
export class DeployKeyStore {
  constructor(private readonly db: Db) {}

  async create(project: string, name: string, createdBy: string | null): Promise<{ key: string; info: DeployKeyInfo }> {
    const key = `${deployKeyPrefix}${randomBytes(32).toString('base64url')}`;
    try {
      const row = await this.db
        .insertInto('deploy_keys')
        .values({ id: `dk_${randomBytes(6).toString('hex')}`, project, name, key_hash: hashToken(key), created_by: createdBy })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { key, info: toInfo(row) };
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw new BerthError('NOT_FOUND', `project ${project} does not exist`, { cause: err });
      throw err;
    }
  }

  /** The key a secret belongs to, if it is not revoked; records its use. */
  async check(secret: string, now: Date = new Date()): Promise<DeployKeyCheck> {
    const row = await this.db.selectFrom('deploy_keys').selectAll().where('key_hash', '=', hashToken(secret)).executeTakeFirst();
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revoked_at) return { ok: false, reason: 'revoked' };
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= touchEveryMs) {
      await this.db.updateTable('deploy_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
      row.last_used_at = now;
    }
    return { ok: true, key: toInfo(row) };
  }

  async list(project: string): Promise<DeployKeyInfo[]> {
    const rows = await this.db.selectFrom('deploy_keys').selectAll().where('project', '=', project).orderBy('created_at').orderBy('id').execute();
    return rows.map(toInfo);
  }

  /** Revokes one of the project's keys (a key of another project is NOT_FOUND here). */
  async revoke(project: string, id: string, now: Date = new Date()): Promise<DeployKeyInfo> {
    const row = await this.db
      .updateTable('deploy_keys')
      .set({ revoked_at: now })
      .where('project', '=', project)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (row) return toInfo(row);
    const existing = await this.db.selectFrom('deploy_keys').selectAll().where('project', '=', project).where('id', '=', id).executeTakeFirst();
    if (!existing) throw new BerthError('NOT_FOUND', `deploy key ${id} does not exist in ${project}`);
    return toInfo(existing);
  }
}

function toInfo(row: {
  id: string;
  project: string;
  name: string;
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): DeployKeyInfo {
  return {
    id: row.id,
    project: row.project,
    name: row.name,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
