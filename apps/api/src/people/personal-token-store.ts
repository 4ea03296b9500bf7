import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ApiTokensTable, Db } from '@berth/shared/db';
import { hashToken, newTokenSecret } from '@berth/shared/token-store';
import type { TokenScope } from '@berth/shared/token-scope';

/** A token as the tokens routes show it: never its secret or hash. */
export interface TokenRecord {
  id: string;
  name: string;
  scope: TokenScope;
  /** Null: an instance token (owner-level within its scope). */
  ownerUserId: string | null;
  projects: string[] | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface NewToken {
  name: string;
  scope: TokenScope;
  ownerUserId: string | null;
  projects?: readonly string[] | null;
  expiresAt?: Date | null;
}

/**
 * api_tokens as people hold them: a personal token has an owner, may be
 * limited to projects and may expire. (TokenStore checks secrets; this makes
 * and lists them with those fields.)
 */
export class PersonalTokenStore {
  constructor(private readonly db: Db) {}

  async create(input: NewToken): Promise<{ token: string; info: TokenRecord }> {
    const secret = newTokenSecret();
    const row = await this.db
      .insertInto('api_tokens')
      .values({
        id: `tok_${randomBytes(6).toString('hex')}`,
        name: input.name,
        scope: input.scope,
        token_hash: hashToken(secret),
        revoked_at: null,
        owner_user_id: input.ownerUserId,
        projects: input.projects ? [...new Set(input.projects)] : null,
        expires_at: input.expiresAt ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { token: secret, info: toRecord(row) };
  }

  async get(id: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  /** Every token (an owner's view), or one person's. */
  async list(ownerUserId?: string): Promise<TokenRecord[]> {
    let query = this.db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('id');
    if (ownerUserId !== undefined) query = query.where('owner_user_id', '=', ownerUserId);
    return (await query.execute()).map(toRecord);
  }

  /** Revokes a token (a revoked one stays as it was); undefined when it does not exist. */
  async revoke(id: string): Promise<TokenRecord | undefined> {
    const row = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : this.get(id);
  }
}

function toRecord(row: Selectable<ApiTokensTable>): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    ownerUserId: row.owner_user_id,
    projects: row.projects,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
