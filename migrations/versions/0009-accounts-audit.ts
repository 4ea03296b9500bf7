import { sql, type Kysely } from 'kysely';

/**
 * People, per-project roles, tokens that belong to someone, deploy keys and
 * an append-only audit log (issue 25).
 * - users: email (unique ignoring case), argon2id password hash (null until
 *   set through a one-time link), instance role, a sealed TOTP secret and the
 *   last TOTP step used (a code is accepted once).
 * - user_setup_links: one-time invite / set-password / reset links, kept as hashes.
 * - user_recovery_codes: TOTP recovery codes, hashed, each used once.
 * - sessions: a signed-in browser, by the hash of its cookie, with idle and
 *   absolute expiry. Its CSRF token is derived from the cookie's secret (an
 *   HMAC, see session-store.ts), so nothing more is stored for it.
 * - project_members: a user's role in a project.
 * - api_tokens: a personal token's owner (null: an instance token, owner-level
 *   as every token was before), the projects it is limited to, expiry, last use.
 * - deploy_keys: deploy one project and nothing else (CI).
 * - audit_log: see auditLog below.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await users(db);
  await sessionsAndLinks(db);
  await membersTokensKeys(db);
  await auditLog(db);
}

async function users(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member').check(sql`role in ('owner', 'member')`))
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('totp_secret_sealed', 'text')
    .addColumn('totp_enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('totp_last_step', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index users_email_key on users (lower(email))`.execute(db);

  await db.schema
    .createTable('user_recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addPrimaryKeyConstraint('user_recovery_codes_pkey', ['user_id', 'code_hash'])
    .execute();
}

async function sessionsAndLinks(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_setup_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('invite', 'set-password', 'reset')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('user_setup_links_user_idx').on('user_setup_links').column('user_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('idle_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('client_address', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
}

async function membersTokensKeys(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('project_members')
    .addColumn('project', 'text', (c) => c.notNull().references('projects.name').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'deployer', 'viewer')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('project_members_pkey', ['project', 'user_id'])
    .execute();
  await db.schema.createIndex('project_members_user_idx').on('project_members').column('user_id').execute();

  await db.schema
    .alterTable('api_tokens')
    .addColumn('owner_user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('projects', sql`text[]`)
    .addColumn('expires_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_tokens_owner_idx').on('api_tokens').column('owner_user_id').execute();

  await db.schema
    .createTable('deploy_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project', 'text', (c) => c.notNull().references('projects.name').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('deploy_keys_project_idx').on('deploy_keys').column('project').execute();
}

/**
 * The audit log. Append-only for every statement: a trigger refuses UPDATE,
 * DELETE and TRUNCATE. The one way rows leave is retention,
 * audit_log_prune(keep), which deletes the oldest rows (a prefix of the
 * chain, never the newest row, never anything younger than a day): the
 * trigger lets a DELETE through only for rows older than the cutoff that
 * function puts in the transaction-local setting berth.audit_prune_before,
 * and never a cutoff younger than a day. A role that sets that itself can at
 * most delete day-old rows, and a gap in the middle breaks the chain: each
 * row carries the hash of the previous one (AuditLog in
 * packages/shared/src/accounts/audit-log.ts appends and verifies). Only the
 * table's owner could drop the trigger; an operator who wants even that
 * closed runs migrations as another role and grants the API's role INSERT,
 * SELECT and EXECUTE on the prune function.
 */
async function auditLog(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_log (
      id bigint primary key,
      at timestamptz not null,
      actor_kind text not null check (actor_kind in ('user', 'token', 'deploy-key', 'system', 'anonymous')),
      actor_id text,
      actor_name text,
      action text not null,
      target_kind text,
      target_id text,
      project text,
      client_address text,
      result text not null check (result in ('ok', 'denied', 'failed')),
      detail jsonb not null default '{}',
      prev_hash text not null,
      hash text not null unique
    )`.execute(db);
  await sql`create sequence audit_log_id_seq owned by audit_log.id`.execute(db);
  await sql`create index audit_log_project_idx on audit_log (project, id)`.execute(db);
  await sql`create index audit_log_actor_idx on audit_log (actor_id, id)`.execute(db);
  await sql`create index audit_log_action_idx on audit_log (action, id)`.execute(db);
  await sql`create index audit_log_at_idx on audit_log (at)`.execute(db);

  await sql`
    create function audit_log_guard() returns trigger language plpgsql as $$
    declare
      cutoff timestamptz := nullif(current_setting('berth.audit_prune_before', true), '')::timestamptz;
    begin
      if tg_op = 'DELETE' and cutoff is not null and cutoff <= now() - interval '1 day' and old.at < cutoff then
        return old;
      end if;
      raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_guard()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_guard()`.execute(db);

  await sql`
    create function audit_log_prune(keep interval) returns bigint
    language plpgsql security definer set search_path = public as $$
    declare
      cutoff timestamptz := now() - keep;
      bound bigint;
      removed bigint;
    begin
      if keep < interval '1 day' then
        raise exception 'audit retention is at least one day, not %', keep using errcode = 'invalid_parameter_value';
      end if;
      select coalesce((select min(id) from audit_log where at >= cutoff), (select max(id) from audit_log)) into bound;
      perform set_config('berth.audit_prune_before', cutoff::text, true);
      delete from audit_log where id < bound and at < cutoff;
      get diagnostics removed = row_count;
      perform set_config('berth.audit_prune_before', '', true);
      return removed;
    end $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
