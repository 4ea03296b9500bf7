import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseForFile } from '@berth/testing/database';
import { UserStore } from '../../../src/accounts/user-store.ts';
import { MemberStore } from '../../../src/accounts/member-store.ts';
import { DeployKeyStore, isDeployKeySecret } from '../../../src/accounts/deploy-key-store.ts';
import { SecondFactorStore } from '../../../src/accounts/second-factor-store.ts';
import { totpCode } from '../../../src/accounts/totp.ts';
import { ProjectStore } from '../../../src/project-store.ts';
import { SecretBox } from '../../../src/secret-box.ts';

const database = databaseForFile();
let users: UserStore;
let projects: ProjectStore;
beforeAll(() => {
  users = new UserStore(database().db);
  projects = new ProjectStore(database().db);
});

const newProject = (name: string) => projects.create({ name, envSealed: null, buildEnvSealed: null });
const newUser = (name: string) => users.create({ email: `${name}@example.com` });

describe('MemberStore', () => {
  it('adds, lists, changes and removes members, and gives each user their roles by project', async () => {
    await newProject('alpha');
    await newProject('beta');
    const [ann, ben] = [await newUser('ann'), await newUser('ben')];
    const members = new MemberStore(database().db);
    await members.add('alpha', ann.id, 'admin');
    await members.add('alpha', ben.id, 'viewer');
    await members.add('beta', ben.id, 'deployer');
    await expect(members.add('alpha', ben.id, 'admin')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(members.add('nope', ben.id, 'admin')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(members.add('beta', 'usr_missing', 'admin')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await members.list('alpha')).map((m) => [m.email, m.role])).toEqual([
      ['ann@example.com', 'admin'],
      ['ben@example.com', 'viewer'],
    ]);
    expect(await members.rolesOf(ben.id)).toEqual(new Map([['alpha', 'viewer'], ['beta', 'deployer']]));
    await members.setRole('alpha', ben.id, 'deployer');
    expect(await members.roleOf('alpha', ben.id)).toBe('deployer');
    await members.remove('alpha', ben.id);
    expect(await members.roleOf('alpha', ben.id)).toBeUndefined();
    await expect(members.remove('alpha', ben.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the last admin of a project, even against two concurrent removals', async () => {
    await newProject('gamma');
    const [a, b] = [await newUser('gam-a'), await newUser('gam-b')];
    const members = new MemberStore(database().db);
    await members.add('gamma', a.id, 'admin');
    await expect(members.remove('gamma', a.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(members.setRole('gamma', a.id, 'viewer')).rejects.toMatchObject({ code: 'CONFLICT' });
    await members.add('gamma', b.id, 'admin');
    const results = await Promise.allSettled([members.remove('gamma', a.id), members.remove('gamma', b.id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await members.list('gamma')).map((m) => m.role)).toEqual(['admin']);
  });

  it('forgets a project\'s members when the project is deleted', async () => {
    await newProject('delta');
    const u = await newUser('del');
    const members = new MemberStore(database().db);
    await members.add('delta', u.id, 'admin');
    await projects.delete('delta');
    expect(await members.rolesOf(u.id)).toEqual(new Map());
  });
});

describe('DeployKeyStore', () => {
  it('makes keys kept as hashes, checks them, records their use, lists and revokes them per project', async () => {
    await newProject('kilo');
    await newProject('lima');
    const keys = new DeployKeyStore(database().db);
    const { key, info } = await keys.create('kilo', 'github actions', null);
    expect(isDeployKeySecret(key)).toBe(true);
    expect(isDeployKeySecret('berth_dk_abc')).toBe(false);
    expect(JSON.stringify(await database().db.selectFrom('deploy_keys').selectAll().execute())).not.toContain(key);
    const checked = await keys.check(key);
    expect(checked.ok && checked.key).toMatchObject({ id: info.id, project: 'kilo', name: 'github actions' });
    expect(checked.ok && checked.key.lastUsedAt).toBeInstanceOf(Date);
    expect(await keys.check('berthdk_unknown')).toEqual({ ok: false, reason: 'unknown' });
    await expect(keys.revoke('lima', info.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await keys.revoke('kilo', info.id)).revokedAt).toBeInstanceOf(Date);
    expect(await keys.check(key)).toEqual({ ok: false, reason: 'revoked' });
    expect((await keys.list('kilo')).map((k) => k.id)).toEqual([info.id]);
    expect(await keys.list('lima')).toEqual([]);
    await expect(keys.create('nope', 'x', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('SecondFactorStore', () => {
  it('enrols TOTP in two steps, accepts each code once, and signs in with each recovery code once', async () => {
    const u = await newUser('totp');
    const factors = new SecondFactorStore(database().db, new SecretBox(randomBytes(32)));
    const secret = await factors.begin(u.id);
    const row = await users.get(u.id);
    expect(row?.totp_secret_sealed).toMatch(/^v2\./); // sealed values carry a key id since issue 24 (door 11)
    expect(row?.totp_enabled).toBe(false);
    const now = Date.now();
    // Not on before it is confirmed.
    expect(await factors.acceptCode(u.id, totpCode(secret, now), now)).toBe(false);
    expect(await factors.confirm(u.id, '000000', now)).toBeUndefined();
    const codes = await factors.confirm(u.id, totpCode(secret, now), now);
    expect(codes).toHaveLength(10);
    expect((await users.get(u.id))?.totp_enabled).toBe(true);
    // The confirming code was used: the next code (30 s on) works once, then not again.
    expect(await factors.acceptCode(u.id, totpCode(secret, now), now)).toBe(false);
    expect(await factors.acceptCode(u.id, totpCode(secret, now + 30_000), now + 30_000)).toBe(true);
    expect(await factors.acceptCode(u.id, totpCode(secret, now + 30_000), now + 30_000)).toBe(false);

    expect(await factors.recoveryCodesLeft(u.id)).toBe(10);
    expect(await factors.useRecoveryCode(u.id, codes![0]!.toUpperCase())).toBe(true);
    expect(await factors.useRecoveryCode(u.id, codes![0]!)).toBe(false);
    expect(await factors.useRecoveryCode(u.id, 'aaaa-bbbb-cccc-dddd')).toBe(false);
    expect(await factors.recoveryCodesLeft(u.id)).toBe(9);
    const fresh = await factors.replaceRecoveryCodes(u.id);
    expect(await factors.useRecoveryCode(u.id, codes![1]!)).toBe(false);
    expect(await factors.useRecoveryCode(u.id, fresh[1]!)).toBe(true);

    await factors.disable(u.id);
    expect((await users.get(u.id))?.totp_enabled).toBe(false);
    expect(await factors.recoveryCodesLeft(u.id)).toBe(0);
    expect(await factors.acceptCode(u.id, totpCode(secret, now + 90_000), now + 90_000)).toBe(false);
  });
});
