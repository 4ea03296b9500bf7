/** berth secrets rotate-key: an operator's command, run on the platform's machine (it talks to Postgres, not the API). */
import { env, parseConfig, z } from '@berth/shared/config';
import { createDb } from '@berth/shared/db';
import { secretKeyEnv } from '@berth/shared/secret-box';
import { rotateSealedValues } from '@berth/shared/secret-rotation';
import { CliError } from '../berth-api.ts';
import { say } from '../output.ts';
import { existingSecretBox } from './platform-keys.ts';

const usage = 'usage: berth secrets rotate-key   (re-seals every stored secret under BERTH_SECRET_KEY; docs/security.md, "Sealed values")';

/** What `secrets rotate-key` reads: the database and the keys, as the API and the workers have them. */
export const secretsCommandEnv = z.object({ DATABASE_URL: env.databaseUrl, ...secretKeyEnv });

export async function secrets(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] !== 'rotate-key') throw new CliError(usage);
  const config = parseConfig(secretsCommandEnv, process.env);
  const box = await existingSecretBox(config);
  const db = createDb(config.DATABASE_URL, { max: 2 });
  try {
    const result = await rotateSealedValues(db, box);
    say(`key ${box.keyId}: ${result.resealed} values re-sealed, ${result.current} already under it`);
    if (result.changedMeanwhile > 0) say(`${result.changedMeanwhile} values changed while this ran: run it again`);
    for (const where of result.unreadable) say(`does not open (left as it is): ${where}`);
    // Not done while a value is left under an old key: keep that key in BERTH_OLD_SECRET_KEYS until this says 0.
    return result.unreadable.length > 0 || result.changedMeanwhile > 0 ? 1 : 0;
  } finally {
    await db.destroy();
  }
}
