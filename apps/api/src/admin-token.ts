import { chmod, writeFile } from 'node:fs/promises';
import { ConfigError } from '@berth/shared/config';
import type { Logger } from '@berth/shared/logger';
import type { TokenStore } from '@berth/shared/token-store';
import type { ApiConfig } from './config.ts';

/**
 * Makes sure someone can get in: registers BERTH_ADMIN_TOKEN, or, on a fresh
 * installation without one, generates a token and writes it to
 * BERTH_ADMIN_TOKEN_FILE (mode 0600). A secret never goes to a log, where
 * every reader of the log would have it.
 */
export async function bootstrapAdminToken(
  tokens: TokenStore,
  config: Pick<ApiConfig, 'BERTH_ADMIN_TOKEN' | 'BERTH_ADMIN_TOKEN_FILE'>,
  logger: Logger,
): Promise<void> {
  if (!config.BERTH_ADMIN_TOKEN && !config.BERTH_ADMIN_TOKEN_FILE && !(await tokens.anyExists())) {
    throw new ConfigError([
      'BERTH_ADMIN_TOKEN: no API token exists yet; set BERTH_ADMIN_TOKEN, or BERTH_ADMIN_TOKEN_FILE to have one generated into that file',
    ]);
  }
  const generated = await tokens.bootstrap(config.BERTH_ADMIN_TOKEN);
  if (!generated) return;
  await writeFile(config.BERTH_ADMIN_TOKEN_FILE!, `${generated}\n`, { mode: 0o600, flag: 'w' });
  await chmod(config.BERTH_ADMIN_TOKEN_FILE!, 0o600); // `mode` only applies to a new file
  logger.warn({ file: config.BERTH_ADMIN_TOKEN_FILE }, 'generated the initial admin API token into this file; only its hash is stored');
}
