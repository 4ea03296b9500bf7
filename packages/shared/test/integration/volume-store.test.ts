import { describe, expect, it } from 'vitest';
import { databaseForFile } from '@berth/testing/database';
import { ProjectStore } from '../../src/project-store.ts';
import { VolumeStore } from '../../src/volume-store.ts';

const database = databaseForFile();
const volumes = () => new VolumeStore(database().db);
const project = (name: string) => new ProjectStore(database().db).create({ name, envSealed: null, buildEnvSealed: null });

describe('VolumeStore', () => {
  it('holds the limit and the names when many requests add at once', async () => {
    await project('race');
    const adds = Array.from({ length: 12 }, (_, i) => volumes().add('race', { name: `v${i % 4}`, mountPath: `/d${i}` }, 3));
    const results = await Promise.allSettled(adds);
    const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(3);
    expect(codes.every((c) => ['ok', 'LIMIT_REACHED', 'CONFLICT'].includes(c))).toBe(true);
    const names = (await volumes().list('race')).map((v) => v.name);
    expect(new Set(names).size).toBe(3);
  });

  it('refuses a missing project, and removes only what the project has', async () => {
    await expect(volumes().add('ghost', { name: 'data', mountPath: '/data' }, 5)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(volumes().list('ghost')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await project('mine');
    await project('theirs');
    await volumes().add('theirs', { name: 'data', mountPath: '/data' }, 5);
    await expect(volumes().remove('mine', 'data', true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await volumes().forProject('theirs')).toHaveLength(1);
  });

  it('goes with its project, and records measurements', async () => {
    await project('gone');
    const row = await volumes().add('gone', { name: 'data', mountPath: '/data' }, 5);
    await volumes().recordUsage(row.id, 4096);
    expect((await volumes().forProject('gone'))[0]).toMatchObject({ bytes_used: 4096, measured_at: expect.any(Date) });
    await new ProjectStore(database().db).delete('gone');
    expect((await volumes().ids()).has(row.id)).toBe(false);
  });

  it('pins a project’s volumes to one node: the first worker’s, which a volume added later joins; none without volumes', async () => {
    await project('pinned');
    expect(await volumes().pinToNode('pinned', 'n1')).toBeUndefined();
    await volumes().add('pinned', { name: 'a', mountPath: '/a' }, 5);
    // Two workers on two nodes start releases at once: one node wins, both are told it.
    const [first, second] = await Promise.all([volumes().pinToNode('pinned', 'n1'), volumes().pinToNode('pinned', 'n2')]);
    expect(first).toBe(second);
    await volumes().add('pinned', { name: 'b', mountPath: '/b' }, 5);
    expect(await volumes().pinToNode('pinned', 'n3')).toBe(first);
    expect((await volumes().forProject('pinned')).map((v) => v.node_id)).toEqual([first, first]);
  });
});
