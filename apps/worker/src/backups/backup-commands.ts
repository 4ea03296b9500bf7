import type { ServiceType } from '@berth/shared/db';
import { postgresUser } from '@berth/shared/service-kinds';

/**
 * How a backup is taken out of, and put back into, a running service container (docker exec;
 * the official images and scripts/make-service-images.sh's have these tools):
 * - Postgres: `pg_dump --format=custom` (uncompressed: Berth gzips the stream), restored with
 *   `pg_restore --clean --if-exists --single-transaction`: all of it applies or none does.
 * - Redis: a snapshot over the replication protocol (`redis-cli --rdb`: what Redis itself would
 *   save, without blocking it). Restoring installs it as the base of a fresh append-only file
 *   (the services run with `appendonly yes`, which ignores dump.rdb) and shuts Redis down without
 *   saving; Docker's restart policy starts it again on the restored data.
 */
export interface BackupCommands {
  /** Writes the backup to stdout. */
  dump: string[];
  /** Reads the backup from stdin and applies it (Redis: stages it). */
  restore: string[];
  /** Redis: swaps the staged data in and stops the server (exits with the container). */
  swap?: string[];
  /** The exec's env (the password, for the Postgres tools). */
  env(password: string): string[];
}

const pgConnection = ['-h', '127.0.0.1', '-U', postgresUser, '-d', postgresUser];
const staged = '/data/berth-restore';
const swapScript = [
  'set -e; cd /data',
  `: > ${staged}/appendonly.aof.1.incr.aof`,
  `printf 'file appendonly.aof.1.base.rdb seq 1 type b\\nfile appendonly.aof.1.incr.aof seq 1 type i\\n' > ${staged}/appendonly.aof.manifest`,
  `if [ -d appendonlydir ]; then chown -R "$(stat -c %u:%g appendonlydir)" ${staged}; fi`,
  // No AOF rewrite may write into the swapped folder before the shutdown.
  'redis-cli config set auto-aof-rewrite-percentage 0 >/dev/null',
  'rm -rf berth-replaced; if [ -d appendonlydir ]; then mv appendonlydir berth-replaced; fi',
  `mv ${staged} appendonlydir`,
  'redis-cli shutdown nosave >/dev/null 2>&1 || true',
].join('\n');

export const backupCommands: Record<ServiceType, BackupCommands> = {
  postgres: {
    dump: ['pg_dump', '--format=custom', '--compress=0', ...pgConnection],
    restore: ['pg_restore', '--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', ...pgConnection],
    env: (password) => [`PGPASSWORD=${password}`],
  },
  redis: {
    // The container's env has REDISCLI_AUTH.
    dump: ['sh', '-c', 'f=/tmp/berth-backup.rdb; redis-cli --rdb "$f" >&2; s=$?; [ $s -eq 0 ] && cat "$f"; s2=$?; rm -f "$f"; [ $s -eq 0 ] && exit $s2; exit $s'],
    restore: ['sh', '-c', `rm -rf ${staged} && mkdir ${staged} && cat > ${staged}/appendonly.aof.1.base.rdb`],
    swap: ['sh', '-c', swapScript],
    env: () => [],
  },
};

/** Redis answers again after a restore's restart. */
export const redisPing = ['redis-cli', 'ping'];
/** What a restore leaves behind once the service answers again. */
export const redisCleanup = ['rm', '-rf', '/data/berth-replaced'];
