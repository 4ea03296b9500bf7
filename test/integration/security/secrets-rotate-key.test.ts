import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { legacySeal } from '@berth/testing/sealing';
import { ProjectStore } from '@berth/shared/project-store';
import { sealedPlace, SecretBox } from '@berth/shared/secret-box';
import { sealedColumns } from '@berth/shared/secret-rotation';
import { databaseForFile } from '@berth/testing/database';
import { runOperatorCli } from '@berth/testing/processes';

// Issue 24, door 11: `npm run berth -- secrets rotate-key` re-seals every
// stored value under the current key, bound to its place, while the old key
// still opens what it sealed; values of older versions (no key id, no place)
// are carried over; a value copied into another project's row is refused.
const database = databaseForFile();


const rotateKey = (env: Record<string, string | undefined>) => runOperatorCli(['secrets', 'rotate-key'], env);

describe('secrets rotate-key', () => {
  it('re-seals every sealed column under the new key; the old key opens old values until then; misplaced values are left and named', async () => {
    const { db, store } = database();
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const old = new SecretBox(oldKey);
    const shop = (kind: Parameters<typeof sealedPlace>[1]) => sealedPlace('shop', kind);
    const projectEnv = old.seal({ TOKEN: 'shop-token' }, shop('env'));
    await new ProjectStore(db).create({
      name: 'shop',
      envSealed: legacySeal(oldKey, { TOKEN: 'shop-token' }), // from before key ids: no place
      buildEnvSealed: old.seal({ NPM_TOKEN: 'npm-secret' }, shop('buildEnv')),
      hookSecretSealed: old.seal({ secret: 'hooksec_1' }, shop('hookSecret')),
    });
    // Copied at the database level into another project's row: it must not become blog's.
    await new ProjectStore(db).create({ name: 'blog', envSealed: projectEnv, buildEnvSealed: null });
    const deploymentId = `d${randomBytes(5).toString('hex')}`;
    await store.create({ id: deploymentId, project: 'shop', sourceType: 'archive', rootDir: '', port: 3000, env: {}, envSealed: legacySeal(oldKey, { TOKEN: 'shop-token' }), buildEnvSealed: old.seal({ NPM_TOKEN: 'npm-secret' }, shop('buildEnv')), archive: { format: 'zip', data: Buffer.from('x') } });
    await db.insertInto('webhooks').values({ id: 'wh_rot', project: 'shop', url: 'https://example.com/h', events: ['deployment.running'], secret_sealed: old.seal({ secret: 'whsec_1' }, shop('webhookSecret')) }).execute();
    await db.insertInto('users').values({ id: 'u_rot', email: 'rot@example.com', totp_secret_sealed: old.seal({ totp: 'abc' }) }).execute();

    const env = { DATABASE_URL: database().url, BERTH_SECRET_KEY: newKey.toString('hex'), BERTH_OLD_SECRET_KEYS: oldKey.toString('base64') };
    const first = await rotateKey(env);
    expect(first.output).toContain('7 values re-sealed, 0 already under it');
    expect(first.output).toContain('does not open (left as it is): projects.env_sealed blog');
    expect(first.code).toBe(1);

    // Only the new key now: every value opens at its place (and only there), under the new key id.
    const only = new SecretBox(newKey);
    const projects = await db.selectFrom('projects').selectAll().where('name', '=', 'shop').executeTakeFirstOrThrow();
    expect(only.open(projects.env_sealed!, shop('env'))).toEqual({ TOKEN: 'shop-token' });
    expect(only.open(projects.build_env_sealed!, shop('buildEnv'))).toEqual({ NPM_TOKEN: 'npm-secret' });
    expect(only.open(projects.hook_secret_sealed!, shop('hookSecret'))).toEqual({ secret: 'hooksec_1' });
    expect(() => only.open(projects.env_sealed!, sealedPlace('blog', 'env'))).toThrow(expect.objectContaining({ code: 'SECRET_MISPLACED' }));
    const d = await db.selectFrom('deployments').selectAll().where('id', '=', deploymentId).executeTakeFirstOrThrow();
    expect(only.open(d.env_sealed!, shop('env'))).toEqual({ TOKEN: 'shop-token' });
    expect(only.open(d.build_env_sealed!, shop('buildEnv'))).toEqual({ NPM_TOKEN: 'npm-secret' });
    const hook = await db.selectFrom('webhooks').select('secret_sealed').where('id', '=', 'wh_rot').executeTakeFirstOrThrow();
    expect(only.open(hook.secret_sealed, shop('webhookSecret'))).toEqual({ secret: 'whsec_1' });
    const user = await db.selectFrom('users').select('totp_secret_sealed').where('id', '=', 'u_rot').executeTakeFirstOrThrow();
    expect(only.open(user.totp_secret_sealed!)).toEqual({ totp: 'abc' });
    for (const c of sealedColumns) {
      const { rows } = await sql<{ v: string }>`select ${sql.ref(c.column)} as v from ${sql.table(c.table)} where ${sql.ref(c.column)} is not null`.execute(db);
      for (const { v } of rows) if (v !== projectEnv) expect(v.startsWith(`v2.${only.keyId}.`), `${c.table}.${c.column}`).toBe(true);
    }

    // Once the misplaced value is set again, a second run finds nothing left to do.
    await db.updateTable('projects').set({ env_sealed: null }).where('name', '=', 'blog').execute();
    const second = await rotateKey(env);
    expect(second.output).toContain('0 values re-sealed, 7 already under it');
    expect(second.code).toBe(0);
  }, 60_000);

  it('refuses to run on a key file that is not there (it would make a new key)', async () => {
    const res = await rotateKey({ DATABASE_URL: database().url, BERTH_SECRET_KEY: undefined, BERTH_SECRET_KEY_FILE: `/tmp/berth-no-such-key-${randomBytes(4).toString('hex')}` });
    expect(res.code).toBe(1);
    expect(res.output).toContain('does not exist');
  }, 30_000);
});
