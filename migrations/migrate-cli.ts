import { createDb } from '@berth/shared/db';
import { createLogger } from '@berth/shared/logger';
import { env, parseConfig, z, ConfigError } from '@berth/shared/config';
import { migrateToLatest } from './migrate.ts';

const log = createLogger('migrate');
try {
  const config = parseConfig(z.object({ DATABASE_URL: env.databaseUrl }), process.env);
  const db = createDb(config.DATABASE_URL, { max: 1 });
  try {
    const applied = await migrateToLatest(db);
    log.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date');
  } finally {
    await db.destroy();
  }
} catch (err) {
  if (err instanceof ConfigError) log.fatal(err.message);
  else log.fatal({ err }, 'migration failed');
  process.exitCode = 1;
}
