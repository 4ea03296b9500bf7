import { sql, type Selectable, type Transaction } from 'kysely';
import type { Database, Db } from '../db.ts';
import { BerthError } from '../errors.ts';
import type { SecretBox } from '../secret-box.ts';
import { auditChainPurpose, auditHash, ChainVerifier, genesisHash, type AuditEntry, type AuditRecord, type ChainVerdict } from './audit-chain.ts';
import type { AuditLogTable } from './tables.ts';

export interface AuditQuery {
  project?: string;
  /** Only these projects' rows (a project admin reads their projects' log). */
  projects?: readonly string[];
  actorId?: string;
  /** An action (`token.create`), or all of a kind (`token.*`). */
  action?: string;
  /** Rows older than this id: the `before` of the previous page's `nextBefore`. */
  before?: number;
  /** Rows per page: 50 unless asked, at most 500. */
  limit?: number;
}

export interface AuditPage {
  entries: AuditRecord[];
  /** Pass as `before` for the next (older) page; null when this was the last. */
  nextBefore: number | null;
}

export const auditPageMax = 500;

/**
 * The audit log: one append-only row per thing that happened, newest last.
 * Appends are serialized (an advisory lock) so each row can name the hash of
 * the one before it; the database refuses to update or delete rows (see
 * migration 0009) except retention's `prune`. `verify` walks the chain.
 */
export class AuditLog {
  constructor(
    private readonly db: Db,
    /** The chain's HMAC key (auditChainKey(BERTH_SECRET_KEY)); without one, plain SHA-256. */
    private readonly key?: Buffer,
    /** Chain keys of older secret keys: rows they hashed still verify after a rotation. */
    private readonly oldKeys: readonly Buffer[] = [],
  ) {}

  /** The log the programs write: keyed by the installation's secret key (and verifiable under its old keys). */
  static keyedBy(db: Db, box: SecretBox): AuditLog {
    const [key, ...oldKeys] = box.derivedKeys(auditChainPurpose);
    return new AuditLog(db, key, oldKeys);
  }

  /**
   * Appends one row. Given `trx`, the row is part of that transaction (it
   * exists exactly when the change it records was committed); appends then
   * wait for that transaction to end, so keep it short.
   */
  async append(entry: AuditEntry, trx?: Transaction<Database>): Promise<AuditRecord> {
    const records = trx ? await this.appendIn(trx, [entry]) : await this.appendMany([entry]);
    return records[0]!;
  }

  /**
   * Appends several rows in one transaction, chained in the order given: one
   * lock, one read of the chain's head, one statement for the ids and one
   * insert for all of them (the API's record of every state-changing request
   * comes in batches).
   */
  async appendMany(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    if (entries.length === 0) return [];
    return this.db.transaction().execute((trx) => this.appendIn(trx, entries));
  }

  private async appendIn(trx: Transaction<Database>, entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    await sql`select pg_advisory_xact_lock(hashtext('berth-audit-log'))`.execute(trx);
    const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
    // The database's clock, in milliseconds (what a JS Date holds), taken under the lock: ids and times both rise.
    const { rows } = await sql<{ id: number; at: Date }>`
      select nextval('audit_log_id_seq') as id, date_trunc('milliseconds', clock_timestamp()) as at
      from generate_series(1, ${entries.length})`.execute(trx);
    let prevHash = last?.hash ?? genesisHash;
    const records = entries.map((entry, i) => {
      const record = chained(entry, Number(rows[i]!.id), rows[0]!.at, prevHash, this.key);
      prevHash = record.hash;
      return record;
    });
    await trx.insertInto('audit_log').values(records.map(toAuditRow)).execute();
    return records;
  }

  /** Newest first, filtered, a page at a time. */
  async query(filter: AuditQuery = {}): Promise<AuditPage> {
    const limit = Math.min(Math.max(1, Math.floor(filter.limit ?? 50)), auditPageMax);
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit + 1);
    if (filter.project !== undefined) query = query.where('project', '=', filter.project);
    if (filter.projects !== undefined) {
      if (filter.projects.length === 0) return { entries: [], nextBefore: null };
      query = query.where('project', 'in', filter.projects);
    }
    if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
    if (filter.action?.endsWith('.*')) {
      query = query.where(sql<boolean>`starts_with(action, ${filter.action.slice(0, -1)})`);
    } else if (filter.action !== undefined) {
      query = query.where('action', '=', filter.action);
    }
    if (filter.before !== undefined) query = query.where('id', '<', filter.before);
    const rows = await query.execute();
    const entries = rows.slice(0, limit).map(fromRow);
    return { entries, nextBefore: rows.length > limit ? entries[entries.length - 1]!.id : null };
  }

  /** Walks the whole chain in id order (see ChainVerifier). */
  async verify(pageSize = 1000): Promise<ChainVerdict> {
    const verifier = new ChainVerifier(this.key, this.oldKeys);
    let after = 0;
    for (;;) {
      const rows = await this.db.selectFrom('audit_log').selectAll().where('id', '>', after).orderBy('id').limit(pageSize).execute();
      for (const row of rows) verifier.feed(fromRow(row));
      const verdict = verifier.verdict();
      if (!verdict.ok || rows.length < pageSize) return verdict;
      after = rows[rows.length - 1]!.id;
    }
  }

  /**
   * Retention: deletes rows older than `keepDays` days (at least 1) through
   * the database's audit_log_prune, the only delete it allows, and records
   * that it did. The newest row always stays, so the chain goes on from it.
   */
  async prune(keepDays: number): Promise<number> {
    if (!Number.isInteger(keepDays) || keepDays < 1) throw new BerthError('VALIDATION_FAILED', 'audit retention is a whole number of days, at least 1');
    const { rows } = await sql<{ removed: number }>`select audit_log_prune(make_interval(days => ${keepDays})) as removed`.execute(this.db);
    const removed = Number(rows[0]?.removed ?? 0);
    await this.append({ actorKind: 'system', action: 'audit.prune', result: 'ok', detail: { removed, keepDays } });
    return removed;
  }
}

/** The row a record is stored as. */
export function toAuditRow(r: AuditRecord) {
  return {
    id: r.id,
    at: r.at,
    actor_kind: r.actorKind,
    actor_id: r.actorId,
    actor_name: r.actorName,
    action: r.action,
    target_kind: r.targetKind,
    target_id: r.targetId,
    project: r.project,
    client_address: r.clientAddress,
    result: r.result,
    detail: JSON.stringify(r.detail),
    prev_hash: r.prevHash,
    hash: r.hash,
  };
}

function fromRow(row: Selectable<AuditLogTable>): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    targetKind: row.target_kind,
    targetId: row.target_id,
    project: row.project,
    clientAddress: row.client_address,
    result: row.result,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The record an entry becomes as row `id`, after the row whose hash is `prevHash`. */
function chained(entry: AuditEntry, id: number, at: Date, prevHash: string, key: Buffer | undefined): AuditRecord {
  // What jsonb will give back: undefined dropped, dates as strings.
  const detail = JSON.parse(JSON.stringify(entry.detail ?? {})) as Record<string, unknown>;
  const unhashed: Omit<AuditRecord, 'hash'> = {
    id,
    at,
    actorKind: entry.actorKind,
    actorId: entry.actorId ?? null,
    actorName: entry.actorName ?? null,
    action: entry.action,
    targetKind: entry.targetKind ?? null,
    targetId: entry.targetId ?? null,
    project: entry.project ?? null,
    clientAddress: entry.clientAddress ?? null,
    result: entry.result,
    detail,
    prevHash,
  };
  return { ...unhashed, hash: auditHash(unhashed, key) };
}
