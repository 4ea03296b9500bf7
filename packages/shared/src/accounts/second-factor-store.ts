import { sql } from 'kysely';
import type { Db } from '../db.ts';
import { BerthError } from '../errors.ts';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.ts';
import { newTotpSecret, verifyTotp } from './totp.ts';

/** Seals and opens the TOTP secret (SecretBox in the API, keyed by BERTH_SECRET_KEY). */
export interface SecretSealer {
  seal(values: Readonly<Record<string, string>>): string;
  open(sealed: string): Record<string, string>;
}

/**
 * A user's optional second factor: a TOTP secret (sealed at rest) and
 * recovery codes (hashed). Enrolment is two steps: `begin` stores a new
 * secret, still off, and `confirm` turns it on once the user has shown one
 * code from their app. A code is accepted once (the last step used is kept);
 * a recovery code once, ever.
 */
export class SecondFactorStore {
  constructor(
    private readonly db: Db,
    private readonly sealer: SecretSealer,
  ) {}

  /** A new secret for the user's app (not yet required at sign-in). */
  async begin(userId: string): Promise<Buffer> {
    const secret = newTotpSecret();
    const sealed = this.sealer.seal({ totp: secret.toString('base64') });
    const { numUpdatedRows } = await this.db
      .updateTable('users')
      .set({ totp_secret_sealed: sealed, totp_enabled: false, totp_last_step: null })
      .where('id', '=', userId)
      .executeTakeFirst();
    if (Number(numUpdatedRows) === 0) throw new BerthError('NOT_FOUND', `user ${userId} does not exist`);
    return secret;
  }

  /** Turns TOTP on after a correct code; returns the recovery codes to show once, or undefined for a wrong code. */
  async confirm(userId: string, code: string, atMs: number = Date.now()): Promise<string[] | undefined> {
    if (!(await this.acceptCode(userId, code, atMs, { enrolling: true }))) return undefined;
    await this.db.updateTable('users').set({ totp_enabled: true }).where('id', '=', userId).execute();
    return this.replaceRecoveryCodes(userId);
  }

  /** Turns the second factor off and forgets its secret and recovery codes. */
  async disable(userId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ totp_secret_sealed: null, totp_enabled: false, totp_last_step: null })
        .where('id', '=', userId)
        .execute();
      await trx.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
    });
  }

  /**
   * True when `code` is the user's current TOTP code (or the step before or
   * after) and newer than the last one accepted; that step is then used up.
   */
  async acceptCode(userId: string, code: string, atMs: number = Date.now(), opts: { enrolling?: boolean } = {}): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select(['totp_secret_sealed', 'totp_enabled'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!row?.totp_secret_sealed || (!row.totp_enabled && !opts.enrolling)) return false;
    const secret = Buffer.from(this.sealer.open(row.totp_secret_sealed).totp ?? '', 'base64');
    const step = verifyTotp(secret, code, atMs);
    if (step === undefined) return false;
    // Atomic: of two requests with the same code, one moves the step on and the other finds it used.
    const { numUpdatedRows } = await this.db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(numUpdatedRows) === 1;
  }

  /** A new set of recovery codes (the old ones stop working); the codes are shown once. */
  async replaceRecoveryCodes(userId: string): Promise<string[]> {
    const { codes, hashes } = newRecoveryCodes();
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
      await trx
        .insertInto('user_recovery_codes')
        .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
        .execute();
    });
    return codes;
  }

  /** True when `code` is one of the user's unused recovery codes; it is used up. */
  async useRecoveryCode(userId: string, code: string): Promise<boolean> {
    const { numUpdatedRows } = await this.db
      .updateTable('user_recovery_codes')
      .set({ used_at: new Date() })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hashRecoveryCode(code))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(numUpdatedRows) === 1;
  }

  /** How many recovery codes the user has left. */
  async recoveryCodesLeft(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('user_recovery_codes')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return row.n;
  }
}
