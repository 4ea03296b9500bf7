import { existsSync } from 'node:fs';
import { loadSecretBox, type SecretBox } from '@berth/shared/secret-box';
import { CliError } from '../berth-api.ts';

/**
 * The programs' secret key (BERTH_SECRET_KEY, or the file they use), never a
 * new one: loadSecretBox makes a key file that is not there, and an operator's
 * command run with a wrong path must fail rather than work under a fresh key.
 */
export async function existingSecretBox(config: { BERTH_SECRET_KEY?: string; BERTH_SECRET_KEY_FILE?: string; BERTH_OLD_SECRET_KEYS?: string }): Promise<SecretBox> {
  if (!config.BERTH_SECRET_KEY && config.BERTH_SECRET_KEY_FILE && !existsSync(config.BERTH_SECRET_KEY_FILE)) {
    throw new CliError(`BERTH_SECRET_KEY_FILE: ${config.BERTH_SECRET_KEY_FILE} does not exist; set BERTH_SECRET_KEY or point at the programs' key file`);
  }
  return loadSecretBox(config);
}
