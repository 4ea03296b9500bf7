import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { TokenScope } from './token-scope.ts';

export interface TokenInfo {
  id: string;
  name: string;
  scope: TokenScope;
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

  async create(
    name: string,
    scope: TokenScope,
    secret: string = newTokenSecret(),
  ): Promise<{ token: string; info: TokenInfo }> {
    const id = `tok_${randomBytes(6).toString('hex')}`;
    const row = await this.db
      .insertInto('api_tokens')
      .values({ id, name, scope, token_hash: hashToken(secret), revoked_at: null })
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

  /** Of these token ids, the ones that still exist and are not revoked. */
  async stillValid(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('api_tokens')
      .select('id')
      .where('id', 'in', ids)
      .where('revoked_at', 'is', null)
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  async anyExists(): Promise<boolean> {
    return (await this.db.selectFrom('api_tokens').select('id').limit(1).executeTakeFirst()) !== undefined;
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
   * Makes sure an admin token exists. A configured one is registered as the
   * bootstrap token `tok_admin`, replacing whatever secret it had before (so
   * changing BERTH_ADMIN_TOKEN retires the old one); otherwise, when there are no tokens at all, one is generated and returned so
   * the caller can print it once. Serialized across API processes.
   */
  async bootstrap(configured: string | undefined): Promise<string | undefined> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('berth-admin-token'))`.execute(trx);
      if (configured) {
        await trx
          .insertInto('api_tokens')
          .values({ id: 'tok_admin', name: 'admin', scope: 'admin', token_hash: hashToken(configured), revoked_at: null })
          .onConflict((oc) =>
            oc.column('id').doUpdateSet({
              token_hash: hashToken(configured),
              scope: 'admin',
              // A new secret starts valid; the same secret stays revoked if an admin revoked it.
              revoked_at: sql<Date | null>`case when api_tokens.token_hash = excluded.token_hash then api_tokens.revoked_at else null end`,
            }),
          )
          .execute();
        return undefined;
      }
      const any = await trx.selectFrom('api_tokens').select('id').limit(1).executeTakeFirst();
      if (any) return undefined;
      const secret = newTokenSecret();
      await trx
        .insertInto('api_tokens')
        .values({ id: 'tok_admin', name: 'admin', scope: 'admin', token_hash: hashToken(secret), revoked_at: null })
        .execute();
      return secret;
    });
  }
}

function toInfo(row: {
  id: string;
  name: string;
  scope: TokenScope;
  created_at: Date;
  revoked_at: Date | null;
}): TokenInfo {
  return { id: row.id, name: row.name, scope: row.scope, createdAt: row.created_at, revokedAt: row.revoked_at };
}
