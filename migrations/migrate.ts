import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as m0001 from './versions/0001-initial.ts';
import * as m0002 from './versions/0002-deployment-transitions.ts';
import * as m0003 from './versions/0003-api-tokens.ts';
import * as m0004 from './versions/0004-token-scopes.ts';
import * as m0005 from './versions/0005-projects-releases.ts';
import * as m0006 from './versions/0006-hooks-webhooks.ts';
import * as m0007 from './versions/0007-replicas.ts';
import * as m0008 from './versions/0008-queued-index.ts';
import * as m0009 from './versions/0009-accounts-audit.ts';
import * as m0010 from './versions/0010-preview-env.ts';
import * as m0011 from './versions/0011-domain-verification.ts';
import * as m0012 from './versions/0012-volumes-release.ts';
import * as m0013 from './versions/0013-app-metrics.ts';
import * as m0014 from './versions/0014-runs-jobs.ts';
import * as m0015 from './versions/0015-process-types.ts';
import * as m0016 from './versions/0016-prebuilt-images.ts';
import * as m0017 from './versions/0017-services.ts';
import * as m0018 from './versions/0018-log-search.ts';
import * as m0019 from './versions/0019-backups.ts';
import * as m0020 from './versions/0020-deployment-runtime.ts';
import * as m0021 from './versions/0021-request-metrics.ts';
import * as m0022 from './versions/0022-backup-error-detail.ts';
import * as m0023 from './versions/0023-webhook-outbox-notice.ts';
import * as m0024 from './versions/0024-runtime-log-followers.ts';
import * as m0025 from './versions/0025-backup-old-tool-output.ts';
import * as m0026 from './versions/0026-log-drains.ts';
import * as m0027 from './versions/0027-volume-node.ts';

/**
 * Every migration, in order. Listed statically (not read from the folder) so
 * the same code runs under tsx, vitest and a bundler; a new migration is one
 * file in versions/ plus one line here.
 */
const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-deployment-transitions': m0002,
  '0003-api-tokens': m0003,
  '0004-token-scopes': m0004,
  '0005-projects-releases': m0005,
  '0006-hooks-webhooks': m0006,
  '0007-replicas': m0007,
  '0008-queued-index': m0008,
  '0009-accounts-audit': m0009,
  '0010-preview-env': m0010,
  '0011-domain-verification': m0011,
  '0012-volumes-release': m0012,
  '0013-app-metrics': m0013,
  '0014-runs-jobs': m0014,
  '0015-process-types': m0015,
  '0016-prebuilt-images': m0016,
  '0017-services': m0017,
  '0018-log-search': m0018,
  '0019-backups': m0019,
  '0020-deployment-runtime': m0020,
  '0021-request-metrics': m0021,
  '0022-backup-error-detail': m0022,
  '0023-webhook-outbox-notice': m0023,
  '0024-runtime-log-followers': m0024,
  '0025-backup-old-tool-output': m0025,
  '0026-log-drains': m0026,
  '0027-volume-node': m0027,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
