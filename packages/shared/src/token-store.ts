import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './db.ts';

export interface TokenInfo {
  id: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export type TokenCheck = { ok: true; token: TokenInfo } | { ok: false; reason: 'unknown' | 'revoked' };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new secret: `berth_` + 32 random bytes, base64url. */
export function newTokenSecret(): string {
  return `berth_${randomBytes(32).toString('base64url')}`;
}

/** API tokens, kept only as hashes. */
export class TokenStore {
  constructor(private readonly db: Db) {}

  async create(name: string, secret: string = newTokenSecret()): Promise<{ token: string; info: TokenInfo }> {
    const id = `tok_${randomBytes(6).toString('hex')}`;
    const row = await this.db
      .insertInto('api_tokens')
      .values({ id, name, token_hash: hashToken(secret), revoked_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { token: secret, info: toInfo(row) };
  }

  async check(secret: string): Promise<TokenCheck> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hashToken(secret))
      .executeTakeFirst();
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revoked_at) return { ok: false, reason: 'revoked' };
    return { ok: true, token: toInfo(row) };
  }

  async list(): Promise<TokenInfo[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('created_at').execute();
    return rows.map(toInfo);
  }

  async revoke(id: string): Promise<TokenInfo | undefined> {
    const row = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (row) return toInfo(row);
    const existing = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return existing ? toInfo(existing) : undefined;
  }

  /**
   * Makes sure an admin token exists. A configured one is registered (idempotent);
   * otherwise, when there are no tokens at all, one is generated and returned so
   * the caller can print it once. Serialized across API processes.
   */
  async bootstrap(configured: string | undefined): Promise<string | undefined> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('berth-admin-token'))`.execute(trx);
      if (configured) {
        await trx
          .insertInto('api_tokens')
          .values({ id: 'tok_admin', name: 'admin', token_hash: hashToken(configured), revoked_at: null })
          .onConflict((oc) => oc.doNothing())
          .execute();
        return undefined;
      }
      const any = await trx.selectFrom('api_tokens').select('id').limit(1).executeTakeFirst();
      if (any) return undefined;
      const secret = newTokenSecret();
      await trx
        .insertInto('api_tokens')
        .values({ id: 'tok_admin', name: 'admin', token_hash: hashToken(secret), revoked_at: null })
        .execute();
      return secret;
    });
  }
}

function toInfo(row: { id: string; name: string; created_at: Date; revoked_at: Date | null }): TokenInfo {
  return { id: row.id, name: row.name, createdAt: row.created_at, revokedAt: row.revoked_at };
}
