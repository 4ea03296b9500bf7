import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseForFile } from '@berth/testing/database';
import { ProjectStore } from '../../src/project-store.ts';
import { SecretBox } from '../../src/secret-box.ts';
import { ServiceStore, type NewService } from '../../src/service-store.ts';

const database = databaseForFile();
const box = new SecretBox(randomBytes(32));
const services = () => new ServiceStore(database().db, box);
const project = (name: string) => new ProjectStore(database().db).create({ name, envSealed: null, buildEnvSealed: null });
const redis = (name: string, envName = `${name.toUpperCase()}_URL`): NewService => ({ type: 'redis', name, image: 'redis:7', version: '7', envName, previews: false });

describe('ServiceStore', () => {
  it('holds the limit, the names and the variables when many requests add at once', async () => {
    await project('race');
    const adds = Array.from({ length: 12 }, (_, i) => services().add('race', redis(`s${i % 4}`, `V${i % 3}`), 3));
    const codes = (await Promise.allSettled(adds)).map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code));
    expect(codes.filter((c) => c === 'ok').length).toBeLessThanOrEqual(3);
    expect(codes.every((c) => ['ok', 'LIMIT_REACHED', 'CONFLICT'].includes(c))).toBe(true);
    const rows = await services().list('race');
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.env_name)).size).toBe(rows.length);
  });

  it('seals a generated password bound to its row: copied into another row, it does not open', async () => {
    await project('mine');
    await project('theirs');
    const a = await services().add('mine', redis('cache'), 5);
    const b = await services().add('theirs', redis('cache'), 5);
    const password = services().password(a);
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.password_sealed).not.toContain(password);
    expect(services().password(b)).not.toBe(password);
    expect(() => services().password({ ...b, password_sealed: a.password_sealed })).toThrow(expect.objectContaining({ code: 'SECRET_MISPLACED' }));
  });

  it('deletes on request only what the project has, and keeps deleteData once asked', async () => {
    await expect(services().add('ghost', redis('cache'), 5)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await project('keep');
    await services().add('keep', redis('cache'), 5);
    await expect(services().requestDelete('mine-not', 'cache', true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await services().requestDelete('keep', 'cache', true)).toMatchObject({ delete_requested: true, delete_data: true, status: 'deleting' });
    expect(await services().requestDelete('keep', 'cache', false)).toMatchObject({ delete_data: true });
    expect(await services().forProject('keep')).toEqual([]);
    expect((await services().list('keep')).map((r) => r.status)).toEqual(['deleting']);
  });
});
