import { createHash, randomBytes } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { ApiTokensTable, Db } from './db.ts';
import type { TokenScope } from './token-scope.ts';

export interface TokenInfo {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: Date;
  revokedAt: Date | null;
  /** A personal token's owner; null: an instance token (owner-level within its scope, as every token was before accounts). */
  ownerUserId: string | null;
  /** The projects a personal token is limited to; null: all its owner may see. */
  projects: string[] | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

/** What makes a token personal (and bounded); an instance token has none of it. */
export interface TokenOwnership {
  ownerUserId?: string | null;
  projects?: string[] | null;
  expiresAt?: Date | null;
}

/** last_used_at is written at most this often (a check reads the row anyway; the API's TokenCache reads it at most every TOKEN_RECHECK_MS). */
const touchEveryMs = 60_000;

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
    ownership: TokenOwnership = {},
  ): Promise<{ token: string; info: TokenInfo }> {
    const id = `tok_${randomBytes(6).toString('hex')}`;
    const row = await this.db
      .insertInto('api_tokens')
      .values({
        id,
        name,
        scope,
        token_hash: hashToken(secret),
        revoked_at: null,
        owner_user_id: ownership.ownerUserId ?? null,
        projects: ownership.projects ?? null,
        expires_at: ownership.expiresAt ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { token: secret, info: toInfo(row) };
  }

  /** The token of a secret, if not revoked (expiry is the caller's to judge: tokenState); records its use. */
  async check(secret: string, now: Date = new Date()): Promise<TokenCheck> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hashToken(secret))
      .executeTakeFirst();
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revoked_at) return { ok: false, reason: 'revoked' };
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= touchEveryMs) {
      await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
      row.last_used_at = now;
    }
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

function toInfo(row: Selectable<ApiTokensTable>): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    ownerUserId: row.owner_user_id,
    projects: row.projects,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}
