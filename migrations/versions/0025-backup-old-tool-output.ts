import { sql, type Kysely } from 'kysely';

/**
 * Failed backups and restores recorded before 0022 (issue 29) carry the tool's stderr, which may
 * quote the service's rows, inside error_message (`pg_restore exited with 1: <stderr>`), which
 * every reader of the project sees (and `backup.failed` sends). Their stderr moves to error_detail
 * (only for callers who may read the project's secrets); the message keeps the tool and its exit
 * code, worded as a new one's. Rows already apart (error_detail set) are left as they are.
 */
const oldToolFailure = String.raw`^((?:pg_dump|pg_restore|redis-cli --rdb|staging the snapshot) exited with (?:-?[0-9]+|no code)): (.*)$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update backups
    set error_message = (regexp_match(error_message, ${oldToolFailure}))[1] || ' (its output is in errorDetail, for the project''s admins)',
        error_detail = (regexp_match(error_message, ${oldToolFailure}))[2]
    where error_detail is null and error_message ~ ${oldToolFailure}`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
