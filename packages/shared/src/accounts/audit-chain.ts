import { createHash, createHmac, hkdfSync } from 'node:crypto';
import type { AuditActorKind, AuditResult } from './tables.ts';

/** One thing that happened, as a caller reports it. */
export interface AuditEntry {
  actorKind: AuditActorKind;
  actorId?: string | null;
  actorName?: string | null;
  /** What was done: `<thing>.<verb>` (the policy's action names where there is one, e.g. `deployment.promote`, `auth.login`). */
  action: string;
  targetKind?: string | null;
  targetId?: string | null;
  project?: string | null;
  clientAddress?: string | null;
  result: AuditResult;
  /** Names, ids and counts; never secret values (env changes record the names only). */
  detail?: Record<string, unknown>;
}

/** A stored row: the entry, where it sits in the chain, and its hash. */
export interface AuditRecord {
  id: number;
  at: Date;
  actorKind: AuditActorKind;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  project: string | null;
  clientAddress: string | null;
  result: AuditResult;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The previous hash of the very first row. */
export const genesisHash = '0'.repeat(64);

/** JSON with object keys sorted at every depth: Postgres' jsonb does not keep the order they were written in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What the chain key is derived for (HKDF's info): the secret key seals env values, this key hashes audit rows. */
export const auditChainPurpose = 'berth audit chain';

/** The key the chain is made with: derived from BERTH_SECRET_KEY, so whoever can write the table alone cannot forge it. */
export function auditChainKey(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), auditChainPurpose, 32));
}

/**
 * A row's hash: over the previous row's hash and every field of this one
 * (its id and time included, so rows cannot be reordered or renumbered).
 * HMAC-SHA-256 under `key` when there is one, else SHA-256.
 */
export function auditHash(record: Omit<AuditRecord, 'hash'>, key?: Buffer): string {
  const content = canonicalJson([
    record.prevHash,
    record.id,
    record.at.toISOString(),
    record.actorKind,
    record.actorId,
    record.actorName,
    record.action,
    record.targetKind,
    record.targetId,
    record.project,
    record.clientAddress,
    record.result,
    record.detail,
  ]);
  return (key ? createHmac('sha256', key) : createHash('sha256')).update(content).digest('hex');
}

export type ChainVerdict =
  | { ok: true; rows: number; firstId: number | null; lastId: number | null }
  | { ok: false; rows: number; brokenAt: number; reason: 'hash' | 'link' | 'order' };

/**
 * Checks rows in id order, a page at a time. The first row's previous hash
 * is taken as given (older rows may have been pruned); every later row must
 * name the hash of the row before it, and every row's hash must be its own.
 */
export class ChainVerifier {
  private rows = 0;
  private firstId: number | null = null;
  private last: AuditRecord | undefined;
  private broken: ChainVerdict | undefined;

  /** `oldKeys`: chain keys of the secret keys in BERTH_OLD_SECRET_KEYS (rows hashed before a key rotation). */
  constructor(
    private readonly key?: Buffer,
    private readonly oldKeys: readonly Buffer[] = [],
  ) {}

  feed(record: AuditRecord): void {
    if (this.broken) return;
    this.rows++;
    this.firstId ??= record.id;
    const fail = (reason: 'hash' | 'link' | 'order') => {
      this.broken = { ok: false, rows: this.rows, brokenAt: record.id, reason };
    };
    if (this.last && record.id <= this.last.id) fail('order');
    else if (this.last && record.prevHash !== this.last.hash) fail('link');
    else if (!this.hashedHere(record)) fail('hash');
    this.last = record;
  }

  private hashedHere(record: AuditRecord): boolean {
    if (auditHash(record, this.key) === record.hash) return true;
    return this.oldKeys.some((key) => auditHash(record, key) === record.hash);
  }

  verdict(): ChainVerdict {
    return this.broken ?? { ok: true, rows: this.rows, firstId: this.firstId, lastId: this.last?.id ?? null };
  }
}
