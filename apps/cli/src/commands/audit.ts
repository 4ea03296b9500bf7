/** berth audit verify: an operator's command, run on the platform's machine (it reads Postgres, not the API). */
import { AuditLog } from '@berth/shared/accounts/audit-log';
import { env, parseConfig, z } from '@berth/shared/config';
import { createDb } from '@berth/shared/db';
import { secretKeyEnv } from '@berth/shared/secret-box';
import { CliError } from '../berth-api.ts';
import { say } from '../output.ts';
import { existingSecretBox } from './platform-keys.ts';

const usage = 'usage: berth audit verify   (checks the audit log\'s hash chain under BERTH_SECRET_KEY; docs/security.md, "Audit log")';

/** What `audit verify` reads: the database and the keys the API and the workers chain rows with. */
const auditCommandEnv = z.object({ DATABASE_URL: env.databaseUrl, ...secretKeyEnv });

/** Exit 0 when every row is chained to the one before and hashed under the installation's key (or an old one); 1 otherwise. */
export async function audit(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] !== 'verify') throw new CliError(usage);
  const config = parseConfig(auditCommandEnv, process.env);
  const box = await existingSecretBox(config);
  const db = createDb(config.DATABASE_URL, { max: 2 });
  try {
    const verdict = await AuditLog.keyedBy(db, box).verify();
    if (verdict.ok) {
      say(verdict.rows === 0 ? 'audit log: no rows yet' : `audit log: ${verdict.rows} rows (#${verdict.firstId} to #${verdict.lastId}), chain intact`);
      return 0;
    }
    const why = { hash: 'its hash is not its own (edited, or not made with this installation\'s key)', link: 'it does not name the hash of the row before it (a row removed or inserted)', order: 'ids out of order' }[verdict.reason];
    say(`audit log: BROKEN at row #${verdict.brokenAt} (${verdict.rows} rows read): ${why}`);
    return 1;
  } finally {
    await db.destroy();
  }
}
